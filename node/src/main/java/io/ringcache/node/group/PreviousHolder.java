package io.ringcache.node.group;

import io.ringcache.node.store.StoredValue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The node that owned a key before the last ring change, asked for it while entries move to their new owners. */
@FunctionalInterface
public interface PreviousHolder {

    /**
     * Asks for {@code key} from memory only; never loads. Must not block, and must complete, if only with a failure
     * once a deadline passes: the key's owner holds the key's later requests back until a mutation's question is
     * answered (see {@code KeyQueues}).
     *
     * @return completes with what is held there of the key
     */
    CompletableFuture<Held> fetch(String key);

    /**
     * What a previous holder holds of a key: its value, else the versions of the latest removal of it (delete, expiry
     * or clear) and of the latest eviction of a written value of it that it remembers, {@link StoredValue#UNVERSIONED}
     * for none. Kept apart as the holder keeps them: a removal makes its own version stale too, an eviction only
     * older ones (a copy of the evicted write is as new as what the holder let go of for room).
     */
    record Held(Optional<StoredValue> value, long removedVersion, long evictedVersion) {

        /** Neither a value nor a removal: what an unreachable previous holder counts as. */
        public static final Held NOTHING = new Held(Optional.empty(), StoredValue.UNVERSIONED, StoredValue.UNVERSIONED);

        /** The holder has {@code value}. */
        public static Held value(StoredValue value) {
            return new Held(Optional.of(value), StoredValue.UNVERSIONED, StoredValue.UNVERSIONED);
        }
    }
}
