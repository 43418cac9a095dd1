package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loader whose loads the test completes by hand; it records every call. */
final class ManualLoader implements Loader {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Optional<byte[]>>> pending = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Optional<byte[]>> load(String key) {
        calls.add(key);
        CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
        pending.add(f);
        return f;
    }

    void completeLast(String value) {
        pending.get(pending.size() - 1).complete(Optional.of(value.getBytes(UTF_8)));
    }
}
