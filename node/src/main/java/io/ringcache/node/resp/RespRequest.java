package io.ringcache.node.resp;

/**
 * What {@link RespRequestDecoder} hands on: a complete request, or the protocol violation that ends the
 * connection after every request before it has been answered.
 */
sealed interface RespRequest {

    /** One command: {@code arguments[0]} is its name; there is always at least one argument. */
    record Command(byte[][] arguments) implements RespRequest {
    }

    /** The client broke the protocol; {@code message} is the error to send before closing. */
    record Violation(String message) implements RespRequest {
    }
}
