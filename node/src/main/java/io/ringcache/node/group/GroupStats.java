package io.ringcache.node.group;

import io.ringcache.node.store.StoreStats;

/**
 * Counters of one group on one node.
 *
 * @param gets reads asked of the group
 * @param hits reads answered from memory
 * @param misses reads that memory could not answer (then loaded, if the group has a loader)
 * @param loads loader calls started; with singleflight, at most one per key at a time
 * @param loadErrors loads that failed or timed out
 * @param loadsDeduped reads that joined a load already in flight instead of starting one
 * @param store the main store's own counters: evictions, expirations, bytes, entries
 */
public record GroupStats(long gets, long hits, long misses, long loads, long loadErrors, long loadsDeduped,
                         StoreStats store) {
}
