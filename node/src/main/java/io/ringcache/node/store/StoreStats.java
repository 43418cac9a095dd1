package io.ringcache.node.store;

/**
 * Counters of one store, named for what an operator asks about.
 *
 * @param gets lookups, hits plus misses
 * @param hits lookups that returned a value
 * @param misses lookups that found nothing or only an expired value
 * @param puts values stored (first writes and overwrites)
 * @param evictions entries removed to make room
 * @param expirations entries removed because their time to live passed
 * @param charge the total charge held now (bytes in production)
 * @param entries the number of entries held now
 * @param expiring how many of those entries have a time to live (Redis's {@code expires} in {@code INFO keyspace})
 */
public record StoreStats(long gets, long hits, long misses, long puts, long evictions, long expirations,
                         long charge, long entries, long expiring) {
}
