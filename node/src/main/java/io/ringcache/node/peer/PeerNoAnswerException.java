package io.ringcache.node.peer;

/**
 * A request was written to a peer but its answer never came: the call's deadline passed, or the connection closed
 * first. The peer may have served it, may still serve it (a paused peer reads it when it resumes), or may never have
 * read it; nobody can tell. Sending it to another member is safe only for a request that may be served twice (a
 * read), never for a write: the write could then be applied twice, or out of order with a later one.
 */
public final class PeerNoAnswerException extends PeerUnavailableException {

    public PeerNoAnswerException(String message) {
        super(message);
    }
}
