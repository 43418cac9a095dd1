package io.ringcache.node.group;

/** The load took longer than the group's load timeout. Nothing was cached; the next get loads again. */
public final class LoadTimeoutException extends RuntimeException {

    public LoadTimeoutException(String message) {
        super(message);
    }

    public LoadTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
