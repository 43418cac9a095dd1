package io.ringcache.node.hot;

import java.time.Duration;
import java.util.Objects;

/**
 * When a key counts as hot and how long copies of it are kept near their readers.
 *
 * @param enabled whether owners mark hot keys and requesters keep copies
 * @param thresholdPerSecond requests per second to one key, seen by its owner, above which it is hot
 * @param ttl how long a requester keeps a hot copy
 * @param budgetFraction the hot tier's share of its group's byte budget, in (0, 1]
 */
public record HotKeySettings(boolean enabled, long thresholdPerSecond, Duration ttl, double budgetFraction) {

    public static final long DEFAULT_THRESHOLD = 100;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final double DEFAULT_BUDGET_FRACTION = 0.125;
    public static final HotKeySettings DEFAULTS = new HotKeySettings(true, DEFAULT_THRESHOLD, DEFAULT_TTL,
            DEFAULT_BUDGET_FRACTION);

    public HotKeySettings {
        Objects.requireNonNull(ttl, "ttl");
        if (thresholdPerSecond < 1) {
            throw new IllegalArgumentException("hot-key threshold must be at least 1 request/s, was " + thresholdPerSecond);
        }
        if (!(budgetFraction > 0 && budgetFraction <= 1)) {
            throw new IllegalArgumentException("hot-key budget fraction must be in (0, 1], was " + budgetFraction);
        }
    }
}
