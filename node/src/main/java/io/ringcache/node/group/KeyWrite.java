package io.ringcache.node.group;

import io.ringcache.node.peer.proto.PeerRequest;

/** A write of one key, as data: applied by the key's owner, copied to its backups. */
sealed interface KeyWrite {

    /** Applies the write to this node's part of the group as the key's owner, giving it a version. */
    AppliedWrite applyTo(LocalGroup local, String key);

    /**
     * Applies a copy of the write that another member applied as the key's owner with {@code version},
     * unless this node holds a version of the key at least as new.
     *
     * @return whether it applied
     */
    boolean applyIfNewer(LocalGroup local, String key, long version);

    /** The request that asks the key's owner to apply this write. */
    PeerRequest toOwnerRequest(String from, String group, String key);

    /** The request that takes this write, applied with {@code version}, to another member as a {@code copy}. */
    PeerRequest toCopyRequest(String from, String group, String key, long version, PeerCalls.Copy copy);

    /** Store {@code value}, expiring at {@code expiresAtMillis} (as computed where the write entered the cluster). */
    record Put(byte[] value, long expiresAtMillis) implements KeyWrite {
        @Override
        public AppliedWrite applyTo(LocalGroup local, String key) {
            return new AppliedWrite(local.putEntry(key, value, expiresAtMillis), false);
        }

        @Override
        public boolean applyIfNewer(LocalGroup local, String key, long version) {
            return local.putEntryIfNewer(key, value, expiresAtMillis, version);
        }

        @Override
        public PeerRequest toOwnerRequest(String from, String group, String key) {
            return PeerCalls.set(from, group, key, value, expiresAtMillis);
        }

        @Override
        public PeerRequest toCopyRequest(String from, String group, String key, long version, PeerCalls.Copy copy) {
            return PeerCalls.setCopy(from, group, key, value, expiresAtMillis, version, copy);
        }
    }

    /** Remove the key. */
    record Delete() implements KeyWrite {
        @Override
        public AppliedWrite applyTo(LocalGroup local, String key) {
            return local.delete(key);
        }

        @Override
        public boolean applyIfNewer(LocalGroup local, String key, long version) {
            return local.deleteIfNewer(key, version);
        }

        @Override
        public PeerRequest toOwnerRequest(String from, String group, String key) {
            return PeerCalls.delete(from, group, key);
        }

        @Override
        public PeerRequest toCopyRequest(String from, String group, String key, long version, PeerCalls.Copy copy) {
            return PeerCalls.deleteCopy(from, group, key, version, copy);
        }
    }
}
