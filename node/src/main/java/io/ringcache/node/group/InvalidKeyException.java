package io.ringcache.node.group;

/** A key that breaks a rule of {@link Limits#checkKey}; nothing was read or written. */
public final class InvalidKeyException extends RuntimeException {

    public InvalidKeyException(String message) {
        super(message);
    }
}
