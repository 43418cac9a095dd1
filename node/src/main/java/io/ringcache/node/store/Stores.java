package io.ringcache.node.store;

import java.util.Objects;

/** Builds a {@link Store} for a policy. */
public final class Stores {

    private Stores() {
    }

    /**
     * A new, empty store.
     *
     * @param policy the eviction policy
     * @param maxCharge the budget in units of {@code charge}; must be positive
     * @param charge what an entry costs ({@link EntryCharge#BYTES} in production)
     * @param time the clock expiry is measured on ({@link TimeSource#SYSTEM} in production)
     * @throws IllegalArgumentException when {@code maxCharge} is not positive
     * @throws NullPointerException when any reference argument is {@code null}
     */
    public static Store create(EvictionPolicyName policy, long maxCharge, EntryCharge charge, TimeSource time) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(time, "time");
        if (maxCharge <= 0) {
            throw new IllegalArgumentException("maxCharge must be positive but was " + maxCharge
                    + "; give the store a budget of at least one unit (bytes in production)");
        }
        return switch (policy) {
            case TINYLFU -> new CaffeineStore(maxCharge, charge, time);
            case LRU -> new PolicyStore(policy, new LruPolicy(), maxCharge, charge, time);
            case LFU -> new PolicyStore(policy, new LfuPolicy(), maxCharge, charge, time);
            case FIFO -> new PolicyStore(policy, new FifoPolicy(), maxCharge, charge, time);
            case LRU2 -> new PolicyStore(policy, new Lru2Policy(), maxCharge, charge, time);
        };
    }
}
