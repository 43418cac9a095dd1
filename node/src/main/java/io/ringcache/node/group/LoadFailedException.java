package io.ringcache.node.group;

/** The loader could not produce the value (the origin failed or answered an error). Nothing was cached; the next get loads again. */
public final class LoadFailedException extends RuntimeException {

    public LoadFailedException(String message) {
        super(message);
    }

    public LoadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
