package io.ringcache.node.hot;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * On a key's owner: which nodes were handed a hot copy of which key, so a write can invalidate every copy
 * before it is acknowledged.
 *
 * <p>A holder is remembered a little longer than copies live ({@code hotTtl} plus a margin), so no copy
 * outlives its record. The record is bounded; when room runs out, the key pushed out has its holders
 * invalidated at once through {@code invalidateEvicted}, so forgetting a holder never leaves a copy that a
 * later write would miss.
 */
public final class HotCopyHolders {

    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final Cache<String, Set<String>> holdersByKey;

    /**
     * @param hotTtl how long a requester keeps a copy
     * @param maxKeys the most keys whose holders are remembered
     * @param invalidateEvicted told (key, holders) when a key's record is pushed out for room
     */
    public HotCopyHolders(Duration hotTtl, long maxKeys, BiConsumer<String, Set<String>> invalidateEvicted) {
        this(hotTtl, maxKeys, invalidateEvicted, Ticker.systemTicker());
    }

    HotCopyHolders(Duration hotTtl, long maxKeys, BiConsumer<String, Set<String>> invalidateEvicted, Ticker ticker) {
        this.holdersByKey = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(hotTtl.plus(MARGIN))
                .maximumSize(maxKeys)
                .executor(Runnable::run)
                .removalListener((String key, Set<String> holders, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && key != null && holders != null) {
                        invalidateEvicted.accept(key, holders);
                    }
                })
                .build();
    }

    /**
     * Records that {@code member} is about to get a copy of {@code key}. Call it before reading the value
     * to hand out: a write that lands after this call finds the holder and invalidates it, and a write that
     * landed before it is already in the value read.
     */
    public void add(String key, String member) {
        holdersByKey.asMap().compute(key, (k, holders) -> {
            Set<String> set = holders != null ? holders : ConcurrentHashMap.newKeySet();
            set.add(member);
            return set;
        });
    }

    /**
     * Whether {@code member} was handed a copy of {@code key} within the last {@code hotTtl} plus a second, and no
     * write has invalidated it since: a member asking again just after its copy ran out.
     */
    public boolean handedTo(String key, String member) {
        Set<String> holders = holdersByKey.policy().getIfPresentQuietly(key);
        return holders != null && holders.contains(member);
    }

    /** Forgets and returns the holders of {@code key}, for a write to invalidate; empty when none. */
    public Set<String> remove(String key) {
        // Most written keys have no copy out. Caffeine's remove of an absent key took 9% of a node's CPU under
        // unpipelined SETs (async-profiler); a lookup is a map read. A holder added after the lookup is about
        // to read the value, which this write has already replaced, so skipping it loses nothing.
        if (holdersByKey.policy().getIfPresentQuietly(key) == null) {
            return Set.of();
        }
        Set<String> holders = holdersByKey.asMap().remove(key);
        return holders == null ? Set.of() : holders;
    }

    /** Keys with at least one copy out. */
    public long keysWithCopies() {
        holdersByKey.cleanUp();
        return holdersByKey.estimatedSize();
    }
}
