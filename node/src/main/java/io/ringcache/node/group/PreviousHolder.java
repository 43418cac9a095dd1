package io.ringcache.node.group;

import io.ringcache.node.store.StoredValue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The node that owned a key before the last ring change, asked for it while entries move to their new owners. */
@FunctionalInterface
public interface PreviousHolder {

    /**
     * Asks for {@code key} from memory only; never loads. Must not block.
     *
     * @return completes with the value held there, or empty
     */
    CompletableFuture<Optional<StoredValue>> fetch(String key);
}
