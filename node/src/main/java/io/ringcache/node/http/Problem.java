package io.ringcache.node.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem details body.
 *
 * @param type a URI naming the kind of problem; {@code about:blank} for plain HTTP errors
 * @param title a short summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong this time and what to do about it
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail);
    }
}
