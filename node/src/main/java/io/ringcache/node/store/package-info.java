/**
 * One node's bounded local memory. A {@link io.ringcache.node.store.Store} maps keys to values with an
 * absolute expiry and keeps their total charge (bytes) under a budget by evicting with a chosen policy:
 * Caffeine's W-TinyLFU, or one of the classic LRU, LFU, FIFO and LRU-2 run by
 * {@link io.ringcache.node.store.PolicyStore}. {@link io.ringcache.node.store.Stores} builds them;
 * an {@link io.ringcache.node.store.ExpirySweeper} drops expired entries without waiting for reads.
 */
package io.ringcache.node.store;
