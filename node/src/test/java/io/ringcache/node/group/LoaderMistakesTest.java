package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loader that breaks the {@link Loader} contract (throws, returns no future, completes with no answer) fails the
 * load as an origin failure does: every reader waiting on it gets a {@link LoadFailedException} naming the mistake,
 * and nothing stays in flight, so the next get loads again.
 */
class LoaderMistakesTest {

    private final ExecutorService callers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void loaderThatThrowsFailsEveryWaitingReaderAndTheNextGetLoadsAgain() throws Exception {
        assertFailsEveryWaitingReaderAndTheNextGetLoadsAgain(() -> {
            throw new IllegalStateException("bug in loader");
        }, "the loader of group 'items' failed: java.lang.IllegalStateException: bug in loader");
    }

    @Test
    void loaderThatReturnsNoFutureFailsEveryWaitingReaderAndTheNextGetLoadsAgain() throws Exception {
        assertFailsEveryWaitingReaderAndTheNextGetLoadsAgain(() -> null,
                "the loader of group 'items' returned no future for key 'k'");
    }

    @Test
    void loadThatCompletesWithNullFailsEveryWaitingReaderAndTheNextGetLoadsAgain() throws Exception {
        assertFailsEveryWaitingReaderAndTheNextGetLoadsAgain(() -> CompletableFuture.completedFuture(null),
                "the loader of group 'items' completed with null instead of a value or Optional.empty() for key 'k'");
    }

    /**
     * Gets k twice, the second get joining the first's load, with a loader whose first load is {@code mistake} and
     * whose next one answers; checks that both readers fail with {@code message} and that a third get loads again.
     */
    private void assertFailsEveryWaitingReaderAndTheNextGetLoadsAgain(
            Supplier<CompletableFuture<Optional<byte[]>>> mistake, String message) throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch joined = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        LocalGroup group = group(key -> {
            if (calls.incrementAndGet() > 1) {
                return CompletableFuture.completedFuture(Optional.of("loaded again".getBytes(UTF_8)));
            }
            // Holds the mistake back until a second reader has joined this load.
            loading.countDown();
            await(joined);
            return mistake.get();
        });
        CompletableFuture<CompletableFuture<Optional<byte[]>>> first =
                CompletableFuture.supplyAsync(() -> group.get("k"), callers);
        await(loading);
        CompletableFuture<Optional<byte[]>> second = group.get("k");
        assertThat(group.stats().loadsDeduped()).isEqualTo(1);
        joined.countDown();

        for (CompletableFuture<Optional<byte[]>> reader : List.of(first.get(5, TimeUnit.SECONDS), second)) {
            assertThatThrownBy(() -> reader.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LoadFailedException.class).hasMessage(message);
        }
        assertThat(group.stats().loadErrors()).isEqualTo(1);
        assertThat(group.get("k").get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                value -> assertThat(new String(value, UTF_8)).isEqualTo("loaded again"));
        assertThat(calls).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static LocalGroup group(Loader loader) {
        GroupSettings settings = new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(10));
        return new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES,
                TimeSource.SYSTEM), loader, Limits.DEFAULTS, TimeSource.SYSTEM);
    }
}
