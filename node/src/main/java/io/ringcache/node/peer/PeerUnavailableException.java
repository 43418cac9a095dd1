package io.ringcache.node.peer;

/** A peer could not be reached: the connection was refused or broke, or the call's deadline passed. */
public final class PeerUnavailableException extends RuntimeException {

    public PeerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
