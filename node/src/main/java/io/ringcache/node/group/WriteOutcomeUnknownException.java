package io.ringcache.node.group;

/**
 * A write, delete or read-modify-write was sent to a member holding its key, which did not answer in time (or whose
 * connection broke before it answered): it may or may not have been applied, and may still be applied later (a
 * paused member reads it when it resumes). It was not sent to another member: applying it there too could apply a
 * read-modify-write twice or to a value the key's owner does not hold, or let an older write land after a later one
 * and undo it.
 */
public final class WriteOutcomeUnknownException extends RuntimeException {

    public WriteOutcomeUnknownException(String message) {
        super(message);
    }
}
