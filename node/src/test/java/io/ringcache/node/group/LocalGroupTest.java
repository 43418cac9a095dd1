package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalGroupTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TimeSource time = now::get;
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private LocalGroup group(Loader loader, Optional<Duration> ttl, Duration loadTimeout, long maxBytes) {
        GroupSettings settings = new GroupSettings("items", maxBytes, EvictionPolicyName.LRU, ttl,
                Optional.of("http://127.0.0.1:1/{key}"), loadTimeout);
        return new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, maxBytes, EntryCharge.BYTES, time),
                loader, Limits.DEFAULTS, time);
    }

    private LocalGroup group(Loader loader) {
        return group(loader, Optional.empty(), Duration.ofSeconds(10), 1 << 20);
    }

    private static String text(CompletableFuture<Optional<byte[]>> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    /** Starts {@code n} concurrent gets of {@code key} and returns once every one of them has its future. */
    private List<CompletableFuture<Optional<byte[]>>> concurrentGets(LocalGroup group, String key, int n) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CompletableFuture<Optional<byte[]>>>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return group.get(key);
            }, callers));
        }
        start.countDown();
        List<CompletableFuture<Optional<byte[]>>> results = new ArrayList<>();
        for (var s : started) {
            results.add(s.get(5, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void coldKeyIsLoadedOnceForFiftyConcurrentGets() throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader);

        List<CompletableFuture<Optional<byte[]>>> results = concurrentGets(group, "cold", 50);
        assertThat(loader.calls).containsExactly("cold");
        loader.completeLast("loaded");

        for (var r : results) {
            assertThat(text(r)).isEqualTo("loaded");
        }
        assertThat(loader.calls).hasSize(1);
        assertThat(group.stats().loads()).isEqualTo(1);
        assertThat(group.stats().loadsDeduped()).isEqualTo(49);
        assertThat(text(group.get("cold"))).isEqualTo("loaded");
        assertThat(loader.calls).hasSize(1);
        assertThat(group.stats().hits()).isEqualTo(1);
    }

    @Test
    void loaderExceptionReachesEveryWaiterAndTheNextGetLoadsAgain() throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader);

        List<CompletableFuture<Optional<byte[]>>> results = concurrentGets(group, "k", 50);
        loader.pending.get(0).completeExceptionally(new LoadFailedException("origin answered HTTP 500"));

        for (var r : results) {
            assertThatThrownBy(() -> r.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LoadFailedException.class).hasMessage("origin answered HTTP 500");
        }
        assertThat(group.stats().loadErrors()).isEqualTo(1);

        CompletableFuture<Optional<byte[]>> retry = group.get("k");
        assertThat(loader.calls).hasSize(2);
        loader.completeLast("second");
        assertThat(text(retry)).isEqualTo("second");
    }

    @Test
    void slowLoadTimesOutForEveryWaiterAndLeavesNothingInFlight() throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader, Optional.empty(), Duration.ofMillis(100), 1 << 20);

        CompletableFuture<Optional<byte[]>> first = group.get("slow");
        CompletableFuture<Optional<byte[]>> second = group.get("slow");
        for (var r : List.of(first, second)) {
            assertThatThrownBy(() -> r.get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(LoadTimeoutException.class).hasMessageContaining("longer than 100 ms");
        }
        // The timed-out load is cancelled, so a loader can stop its work (HttpOriginLoader closes its connection).
        assertThat(loader.pending.get(0)).isCancelled();
        group.get("slow");
        assertThat(loader.calls).hasSize(2);
        assertThat(loader.pending.get(1)).isNotDone();
    }

    @Test
    void notFoundFromTheLoaderIsEmptyAndIsNotRemembered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LocalGroup group = group(key -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.empty());
        });
        assertThat(group.get("missing").get()).isEmpty();
        assertThat(group.get("missing").get()).isEmpty();
        assertThat(calls).hasValue(2);
        assertThat(group.stats().store().entries()).isZero();
    }

    @Test
    void plainGroupMissIsNotFoundWithoutLoading() throws Exception {
        GroupSettings settings = GroupSettings.defaults("plain");
        LocalGroup group = new LocalGroup(settings, Stores.create(EvictionPolicyName.TINYLFU, 1 << 20, EntryCharge.BYTES, time),
                null, Limits.DEFAULTS, time);
        assertThat(group.get("nothing").get()).isEmpty();
        group.put("k", "v".getBytes(UTF_8), Optional.empty());
        assertThat(text(group.get("k"))).isEqualTo("v");
        assertThat(group.stats().misses()).isEqualTo(1);
        assertThat(group.stats().loads()).isZero();
    }

    @Test
    void loadedValueTakesTheGroupDefaultTtl() throws Exception {
        LocalGroup group = group(key -> CompletableFuture.completedFuture(Optional.of("v".getBytes(UTF_8))),
                Optional.of(Duration.ofSeconds(30)), Duration.ofSeconds(5), 1 << 20);
        assertThat(text(group.get("k"))).isEqualTo("v");
        assertThat(group.stats().loads()).isEqualTo(1);
        now.addAndGet(29_999);
        assertThat(text(group.get("k"))).isEqualTo("v");
        assertThat(group.stats().loads()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(text(group.get("k"))).isEqualTo("v");
        assertThat(group.stats().loads()).isEqualTo(2);
    }

    @Test
    void writeWinsOverALoadThatStartedBeforeIt() throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader);
        CompletableFuture<Optional<byte[]>> reader = group.get("k");
        group.put("k", "written".getBytes(UTF_8), Optional.empty());
        loader.completeLast("stale from origin");

        assertThat(text(reader)).isEqualTo("stale from origin");
        assertThat(text(group.get("k"))).isEqualTo("written");
        assertThat(loader.calls).hasSize(1);
    }

    /**
     * The interleaving: a get misses, enters the flight, finds nothing on its second look, and only then does a
     * write of the key land, before the load starts. The origin's value, older than the write, must not replace it.
     */
    @Test
    void writeLandingAsALoadStartsWinsOverIt() throws Exception {
        ManualLoader loader = new ManualLoader();
        AtomicReference<Runnable> afterNextPeek = new AtomicReference<>();
        Store store = Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, time);
        Store racing = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Runnable hook = method.getName().equals("peek") ? afterNextPeek.getAndSet(null) : null;
                    if (hook != null) {
                        hook.run();
                    }
                    return result;
                });
        GroupSettings settings = new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(10));
        LocalGroup group = new LocalGroup(settings, racing, loader, Limits.DEFAULTS, time);
        afterNextPeek.set(() -> group.put("k", "written".getBytes(UTF_8), Optional.empty()));

        CompletableFuture<Optional<byte[]>> reader = group.get("k");
        assertThat(loader.calls).containsExactly("k");
        loader.completeLast("stale from origin");

        assertThat(text(reader)).isEqualTo("stale from origin");
        assertThat(text(group.get("k"))).isEqualTo("written");
    }

    @Test
    void deleteDuringALoadKeepsTheLoadedValueOutOfMemory() throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader);
        CompletableFuture<Optional<byte[]>> reader = group.get("k");
        assertThat(group.delete("k").removed()).isFalse();
        loader.completeLast("from before the delete");
        assertThat(text(reader)).isEqualTo("from before the delete");

        CompletableFuture<Optional<byte[]>> after = group.get("k");
        assertThat(loader.calls).hasSize(2);
        loader.completeLast("fresh");
        assertThat(text(after)).isEqualTo("fresh");
    }

    /**
     * The cache-aside pattern: the origin changes, then the key is deleted. A get that starts once the delete has
     * returned must not be answered by a load that asked the origin before it.
     */
    @Test
    void getAfterADeleteDoesNotJoinALoadStartedBeforeIt() throws Exception {
        LocalGroup group = assertAGetAfterDoesNotJoinALoadStartedBefore(g -> g.delete("k"), "the delete");
        assertThat(group.stats().loads()).isEqualTo(2);
        assertThat(group.stats().loadsDeduped()).isZero();
    }

    @Test
    void getAfterAClearDoesNotJoinALoadStartedBeforeIt() throws Exception {
        assertAGetAfterDoesNotJoinALoadStartedBefore(LocalGroup::clear, "the clear");
    }

    /**
     * A put lands during a load, and its value is gone (evicted, here by a larger write) before the next get. That get
     * must not be answered by the load, which asked the origin before the put: with "change the origin, then SET the
     * key" it would read the older value.
     */
    @Test
    void getAfterAPutWhoseValueWasEvictedDoesNotJoinALoadStartedBeforeIt() throws Exception {
        assertAGetAfterDoesNotJoinALoadStartedBefore(g -> {
            g.put("k", "written".getBytes(UTF_8), Optional.empty());
            evictK(g);
        }, "the put");
    }

    /** As above, for a write another member applied as the key's owner and copied here. */
    @Test
    void getAfterACopiedWriteWhoseValueWasEvictedDoesNotJoinALoadStartedBeforeIt() throws Exception {
        assertAGetAfterDoesNotJoinALoadStartedBefore(g -> {
            assertThat(g.putEntryIfNewer("k", "copied".getBytes(UTF_8), StoredValue.NEVER, g.newestVersion() + 1))
                    .isTrue();
            evictK(g);
        }, "the copied write");
    }

    /**
     * As above, for a write its previous owner applied and handed over after a ring change: what the load asked the
     * origin may be older than that write.
     */
    @Test
    void getAfterAHandedOverWriteWhoseValueWasEvictedDoesNotJoinALoadStartedBeforeIt() throws Exception {
        assertAGetAfterDoesNotJoinALoadStartedBefore(g -> {
            assertThat(g.acceptHandedOver("k", "handed over".getBytes(UTF_8), StoredValue.NEVER,
                    g.newestVersion() + 1)).isTrue();
            evictK(g);
        }, "the hand-over");
    }

    /** Writes another key charged all of the 1 MiB budget but one byte: k, least recently used, makes room. */
    private static void evictK(LocalGroup group) {
        group.put("other", new byte[(1 << 20) - EntryCharge.ENTRY_OVERHEAD_BYTES - "other".length() - 1],
                Optional.empty());
        assertThat(group.getHeld("k")).isNull();
    }

    /** Starts a load of k, runs {@code removal}, then checks that a get after it loads anew; returns the group. */
    private LocalGroup assertAGetAfterDoesNotJoinALoadStartedBefore(Consumer<LocalGroup> removal, String what)
            throws Exception {
        ManualLoader loader = new ManualLoader();
        LocalGroup group = group(loader);
        CompletableFuture<Optional<byte[]>> before = group.get("k");
        removal.accept(group);
        CompletableFuture<Optional<byte[]>> after = group.get("k");

        assertThat(loader.calls).hasSize(2);
        loader.pending.get(1).complete(Optional.of("fresh".getBytes(UTF_8)));
        loader.pending.get(0).complete(Optional.of(("from before " + what).getBytes(UTF_8)));
        assertThat(text(after)).isEqualTo("fresh");
        assertThat(text(before)).isEqualTo("from before " + what);
        assertThat(text(group.get("k"))).isEqualTo("fresh");
        return group;
    }

    @Test
    void putWithTtlExpiresAndAnExplicitTtlBeatsTheDefault() throws Exception {
        LocalGroup group = group(key -> CompletableFuture.completedFuture(Optional.empty()),
                Optional.of(Duration.ofHours(1)), Duration.ofSeconds(5), 1 << 20);
        group.put("short", "v".getBytes(UTF_8), Optional.of(Duration.ofSeconds(2)));
        group.put("default", "v".getBytes(UTF_8), Optional.empty());
        now.addAndGet(2_000);
        assertThat(group.get("short").get()).isEmpty();
        assertThat(text(group.get("default"))).isEqualTo("v");
    }

    @Test
    void ttlThatIsNotPositiveIsRefusedAndNothingIsWritten() throws Exception {
        LocalGroup group = group(new ManualLoader());
        assertThatThrownBy(() -> group.put("k", new byte[1], Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be longer than zero");
        // Expiries are whole milliseconds: half of one would expire the value as it is written.
        assertThatThrownBy(() -> group.put("k", new byte[1], Optional.of(Duration.ofNanos(500_000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be at least 1 ms");
        assertThat(group.stats().store().puts()).isZero();
    }

    @Test
    void ttlTooLongForTheClockNeverExpiresInsteadOfExpiringAtOnce() throws Exception {
        LocalGroup group = group(new ManualLoader());
        group.put("far", "v".getBytes(UTF_8), Optional.of(Duration.ofMillis(Long.MAX_VALUE - 1)));
        group.put("farther", "v".getBytes(UTF_8), Optional.of(Duration.ofSeconds(Long.MAX_VALUE)));

        assertThat(text(group.get("far"))).isEqualTo("v");
        assertThat(text(group.get("farther"))).isEqualTo("v");
    }

    @Test
    void keysThatBreakTheLimitsAreRefusedWithTheRuleTheyBreak() {
        LocalGroup group = group(new ManualLoader());
        assertThatThrownBy(() -> group.get("")).isInstanceOf(InvalidKeyException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> group.put("x".repeat(1025), new byte[1], Optional.empty()))
                .isInstanceOf(InvalidKeyException.class).hasMessage("the key is 1025 bytes of UTF-8; the limit is 1024");
        assertThatThrownBy(() -> group.delete("é".repeat(513)))
                .isInstanceOf(InvalidKeyException.class).hasMessage("the key is 1026 bytes of UTF-8; the limit is 1024");
        assertThatThrownBy(() -> group.get("bad\uD800key"))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("unpaired UTF-16 surrogate at index 3");
        group.put("x".repeat(1024), new byte[1], Optional.empty());
        group.put("😀", new byte[1], Optional.empty());
        assertThat(group.stats().store().entries()).isEqualTo(2);
    }

    @Test
    void valueOverTheLimitIsRefusedAndTheOldValueStays() throws Exception {
        LocalGroup group = group(new ManualLoader());
        group.put("k", "old".getBytes(UTF_8), Optional.empty());
        assertThatThrownBy(() -> group.put("k", new byte[(1 << 20) + 1], Optional.empty()))
                .isInstanceOf(ValueTooLargeException.class)
                .hasMessage("the value is 1048577 bytes; the limit is 1048576 (ringcache.max-value-bytes)");
        assertThat(text(group.get("k"))).isEqualTo("old");
    }

    @Test
    void entryLargerThanTheGroupBudgetIsRefusedAndTheOldValueStays() throws Exception {
        LocalGroup group = group(new ManualLoader(), Optional.empty(), Duration.ofSeconds(5), 1_000);
        group.put("k", "old".getBytes(UTF_8), Optional.empty());
        assertThatThrownBy(() -> group.put("k", new byte[1_000], Optional.empty()))
                .isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("does not fit group 'items'");
        assertThat(text(group.get("k"))).isEqualTo("old");
    }

    @Test
    void originValueTooLargeToCacheIsALoadFailure() {
        LocalGroup group = group(key -> CompletableFuture.completedFuture(Optional.of(new byte[(1 << 20) + 1])));
        assertThatThrownBy(() -> group.get("k").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoadFailedException.class).hasMessageContaining("cannot be cached");
        assertThat(group.stats().store().entries()).isZero();
    }

    @Test
    void singleFlightClearsItsEntryOnEveryOutcome() {
        SingleFlight<String> flight = new SingleFlight<>();
        Function<String, CompletableFuture<String>> ok = k -> CompletableFuture.completedFuture("v");
        Function<String, CompletableFuture<String>> failing = k -> CompletableFuture.failedFuture(new IllegalStateException());
        Function<String, CompletableFuture<String>> throwing = k -> {
            throw new IllegalStateException();
        };
        flight.run("a", ok, () -> { });
        flight.run("b", failing, () -> { });
        flight.run("c", throwing, () -> { });
        CompletableFuture<String> pending = new CompletableFuture<>();
        flight.run("d", k -> pending, () -> { });
        assertThat(flight.inFlightCount()).isEqualTo(1);
        pending.completeExceptionally(new java.util.concurrent.TimeoutException());
        assertThat(flight.inFlightCount()).isZero();
    }
}
