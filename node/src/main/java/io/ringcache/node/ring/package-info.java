/**
 * Who owns a key: an immutable {@link io.ringcache.node.ring.HashRing} snapshot (virtual nodes, a 64-bit
 * hash, or groupcache-compatible CRC-32) and the {@link io.ringcache.node.ring.Membership} that swaps
 * snapshots atomically when the members change.
 */
package io.ringcache.node.ring;
