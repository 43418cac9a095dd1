package io.ringcache.node.peer;

/**
 * A peer did not serve a request: the connection was refused, could not be made in time or broke before the
 * request was written, or the peer answered that it did not serve it (it is leaving the ring, the request's deadline
 * had passed). Such a request certainly was not served, and may be sent to another member. The one kind of it that
 * may have been served is {@link PeerNoAnswerException}: sent, and never answered.
 */
public class PeerUnavailableException extends RuntimeException {

    public PeerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
