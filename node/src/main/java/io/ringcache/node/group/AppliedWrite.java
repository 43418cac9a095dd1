package io.ringcache.node.group;

/**
 * A write or delete as its owner applied it.
 *
 * @param version the version the owner gave it, which its copies carry
 * @param removed for a delete, whether a value was removed; {@code false} for a write
 */
public record AppliedWrite(long version, boolean removed) {
}
