/**
 * Hot keys: an owner counts requests per key in a fixed-size sketch ({@link io.ringcache.node.hot.HotKeyTracker})
 * and marks keys above the threshold as hot; requesters keep short-lived copies of them
 * ({@link io.ringcache.node.hot.HotTier}); the owner remembers who holds copies
 * ({@link io.ringcache.node.hot.HotCopyHolders}) and invalidates them before it acknowledges a write.
 */
package io.ringcache.node.hot;
