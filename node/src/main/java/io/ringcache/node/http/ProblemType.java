package io.ringcache.node.http;

/**
 * The stable {@code type}s of ringcache's problem responses (RFC 9457). Clients may switch on the type;
 * it never changes meaning. The URI names a kind of problem; nothing is served there.
 */
public enum ProblemType {
    KEY_NOT_FOUND("key-not-found", 404, "Key not found"),
    GROUP_NOT_FOUND("group-not-found", 404, "Group not found"),
    INVALID_KEY("invalid-key", 400, "Invalid key"),
    INVALID_TTL("invalid-ttl", 400, "Invalid TTL"),
    VALUE_TOO_LARGE("value-too-large", 413, "Value too large"),
    LOAD_FAILED("load-failed", 502, "Loading the value failed"),
    LOAD_TIMEOUT("load-timeout", 504, "Loading the value timed out"),
    OWNER_UNAVAILABLE("owner-unavailable", 503, "No node holding the key could be reached"),
    WRITE_OUTCOME_UNKNOWN("write-outcome-unknown", 504,
            "The key's owner did not answer; the write may or may not have been applied"),
    PEER_UNSUPPORTED_OPERATION("peer-unsupported-operation", 502,
            "A member does not support the operation; it runs another version of ringcache"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    public static final String BASE_URI = "https://ringcache.io/problems/";

    private final String uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = BASE_URI + slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
