package io.ringcache.node.group;

/**
 * A peer's write reached the point of being applied after its deadline: it is not applied, and the sender is told so
 * ({@code DEADLINE_EXCEEDED}).
 */
final class DeadlinePassedException extends RuntimeException {

    DeadlinePassedException(String message) {
        super(message, null, false, false);
    }
}
