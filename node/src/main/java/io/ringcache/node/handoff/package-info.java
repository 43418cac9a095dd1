/**
 * Moving entries when the ring changes: {@link io.ringcache.node.handoff.HandoffStream} sends every entry
 * this node no longer owns (or that a new owner lacks) to its new owners, in paced batches, offers again what
 * they did not acknowledge or refused (their ring gave the key to another member), and drops what is no longer its
 * own once they have it. A stopping node leaves the
 * ring first, so this is also how it hands everything off.
 */
package io.ringcache.node.handoff;
