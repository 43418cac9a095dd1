package io.ringcache.node.group;

import io.ringcache.node.peer.proto.PeerRequest;

/** A write of one key, as data: applied by the key's owner, copied to its backups. */
sealed interface KeyWrite {

    /**
     * Applies the write to this node's part of the group.
     *
     * @return for a delete, whether a value was removed; {@code false} otherwise
     */
    boolean applyTo(LocalGroup local, String key);

    /** The request that asks the key's owner to apply this write. */
    PeerRequest toOwnerRequest(String from, String group, String key);

    /** The request that copies this write to a backup, which applies it and nothing more. */
    PeerRequest toBackupRequest(String from, String group, String key);

    /** Store {@code value}, expiring at {@code expiresAtMillis} (as computed where the write entered the cluster). */
    record Put(byte[] value, long expiresAtMillis) implements KeyWrite {
        @Override
        public boolean applyTo(LocalGroup local, String key) {
            local.putEntry(key, value, expiresAtMillis);
            return false;
        }

        @Override
        public PeerRequest toOwnerRequest(String from, String group, String key) {
            return PeerCalls.set(from, group, key, value, expiresAtMillis, false);
        }

        @Override
        public PeerRequest toBackupRequest(String from, String group, String key) {
            return PeerCalls.set(from, group, key, value, expiresAtMillis, true);
        }
    }

    /** Remove the key. */
    record Delete() implements KeyWrite {
        @Override
        public boolean applyTo(LocalGroup local, String key) {
            return local.delete(key);
        }

        @Override
        public PeerRequest toOwnerRequest(String from, String group, String key) {
            return PeerCalls.delete(from, group, key, false);
        }

        @Override
        public PeerRequest toBackupRequest(String from, String group, String key) {
            return PeerCalls.delete(from, group, key, true);
        }
    }
}
