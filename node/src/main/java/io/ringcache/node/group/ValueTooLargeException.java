package io.ringcache.node.group;

/** A value longer than the node's value limit or than its group's whole budget; nothing was written. */
public final class ValueTooLargeException extends RuntimeException {

    public ValueTooLargeException(String message) {
        super(message);
    }

    public ValueTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
