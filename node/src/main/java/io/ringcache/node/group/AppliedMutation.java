package io.ringcache.node.group;

import io.ringcache.node.store.StoredValue;

/**
 * A mutation as its owner applied it: the result for the caller, and the write it made for the key's backups
 * (and, on a stand-in, for the key's owner).
 *
 * @param write the value the mutation stored or the delete it made; {@code null} when it left the key as it was
 * @param version the write's version; {@link StoredValue#UNVERSIONED} when there is no write
 */
record AppliedMutation(MutationResult result, KeyWrite write, long version) {

    /** Notes the write a mutation makes, under the key's lock. A mutation makes one write at most. */
    static final class Recorder {
        private KeyWrite write;
        private long version = StoredValue.UNVERSIONED;

        void stored(byte[] value, long expiresAtMillis, long version) {
            this.write = new KeyWrite.Put(value, expiresAtMillis);
            this.version = version;
        }

        void deleted(long version) {
            this.write = new KeyWrite.Delete();
            this.version = version;
        }

        AppliedMutation of(MutationResult result) {
            return new AppliedMutation(result, write, version);
        }
    }
}
