package io.ringcache.node.group;

import java.util.Objects;

/** A {@link Mutation} that cannot apply to the value the key holds; the value is unchanged. */
public final class MutationRefusedException extends RuntimeException {

    /** Why the mutation was refused. */
    public enum Reason {
        /** The value is not a canonical 64-bit decimal integer. */
        NOT_AN_INTEGER,
        /** The result would not fit a signed 64-bit integer. */
        WOULD_OVERFLOW
    }

    private final Reason reason;

    public MutationRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
