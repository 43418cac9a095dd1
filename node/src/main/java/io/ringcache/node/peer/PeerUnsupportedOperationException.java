package io.ringcache.node.peer;

/**
 * A peer answered that it does not know the operation of a request (it runs an older version, as during a rolling
 * upgrade): it did not serve it, and the other calls sharing the connection go on. Not a
 * {@link PeerUnavailableException}: the peer is up and answers, so the request is not one to send to another member
 * in its place (a write handed to a stand-in would be handed back to the same peer).
 */
public final class PeerUnsupportedOperationException extends RuntimeException {

    public PeerUnsupportedOperationException(String message) {
        super(message, null, false, false);
    }
}
