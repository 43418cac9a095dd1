package io.ringcache.node.group;

/**
 * A peer asked this node for a read-modify-write of a key that, in this node's ring, it neither owns nor backs up: it
 * holds no value to apply it to, so it does not apply it, and the sender is told so ({@code NOT_OWNER}).
 */
final class NotOwnerException extends RuntimeException {

    NotOwnerException(String message) {
        super(message, null, false, false);
    }
}
