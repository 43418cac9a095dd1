package io.ringcache.node.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The methods each path of the API takes, as the {@code Allow} header of OPTIONS and of a 405 names them (RFC 9110
 * requires the header on a 405). Quarkus REST refuses a method no resource method takes without naming any:
 * {@link ProblemMapper} answers those from here.
 */
final class AllowedMethods {

    /** A key ({@link KeyResource}). */
    static final String KEY = "GET, HEAD, PUT, DELETE, OPTIONS";
    /**
     * Every other path: {@code /v1/groups}, {@code /v1/cluster} and {@code /v1/cluster/owners/{key}} only read, as
     * do the health and metrics paths ({@link ExtensionPathMethods}).
     */
    static final String READ_ONLY = "GET, HEAD, OPTIONS";

    /**
     * The paths {@link KeyResource}'s template matches, normalized as Quarkus REST matches them (dot segments removed,
     * still percent-encoded): a group segment, then {@code keys/} and anything.
     */
    private static final Pattern KEY_PATH = Pattern.compile("/v1/groups/[^/]+/keys/.*");

    private AllowedMethods() {
    }

    static boolean isKeyPath(String path) {
        return KEY_PATH.matcher(path).matches();
    }

    /** The Allow header of the resource at {@code path}, the request's normalized path. */
    static String of(String path) {
        return isKeyPath(path) ? KEY : READ_ONLY;
    }

    /**
     * The answer to OPTIONS on a path that takes {@code allow}. Each resource answers it from a method of its own:
     * an OPTIONS Quarkus REST answers itself has no path template, so metrics counted it under its raw path, a series
     * per key sent to {@code /v1/cluster/owners/{key}}.
     */
    static Response options(String allow) {
        return Response.ok().header(HttpHeaders.ALLOW, allow).build();
    }

    static boolean keyTakes(String method) {
        return Arrays.asList(KEY.split(", ")).contains(method);
    }
}
