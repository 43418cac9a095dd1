package io.ringcache.node.handoff;

/**
 * How entries move to their new owners after a ring change.
 *
 * @param batchBytes the largest batch of entries sent in one transfer, as encoded on the wire (every entry's fields and
 *     framing counted, not only its key and value); an entry larger than that is sent alone
 * @param bytesPerSecond the rate limit of all hand-off traffic from this node
 */
public record HandoffSettings(int batchBytes, long bytesPerSecond) {

    public static final int DEFAULT_BATCH_BYTES = 1 << 20;
    public static final long DEFAULT_BYTES_PER_SECOND = 64L << 20;
    public static final HandoffSettings DEFAULTS = new HandoffSettings(DEFAULT_BATCH_BYTES, DEFAULT_BYTES_PER_SECOND);

    public HandoffSettings {
        if (batchBytes < 1) {
            throw new IllegalArgumentException("hand-off batch bytes must be positive, was " + batchBytes);
        }
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("hand-off rate must be positive, was " + bytesPerSecond);
        }
    }
}
