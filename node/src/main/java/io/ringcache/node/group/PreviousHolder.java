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
     * @return completes with the value held there, or empty
     */
    CompletableFuture<Optional<StoredValue>> fetch(String key);
}
