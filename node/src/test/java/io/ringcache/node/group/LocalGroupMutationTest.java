package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.group.Mutation.ExpireCondition;
import io.ringcache.node.group.Mutation.ExpiryMode;
import io.ringcache.node.group.Mutation.SetCondition;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalGroupMutationTest {

    private static final long NOW = 1_000_000;

    private final AtomicLong now = new AtomicLong(NOW);
    private final ExecutorService writers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopWriters() {
        writers.shutdownNow();
    }

    private LocalGroup group(Optional<Duration> defaultTtl, Limits limits) {
        GroupSettings settings = new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, defaultTtl,
                Optional.empty(), Duration.ofSeconds(1));
        return new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get),
                null, limits, now::get);
    }

    private LocalGroup group() {
        return group(Optional.empty(), Limits.DEFAULTS);
    }

    /** The entry the group holds for {@code key}, read without counting. */
    private static StoredValue held(LocalGroup g, String key) {
        return g.mainStore().peek(key);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    private static Mutation.Set set(String value, SetCondition condition, ExpiryMode expiry, long millis,
                                    boolean returnOld) {
        return new Mutation.Set(bytes(value), condition, expiry, millis, returnOld);
    }

    @Test
    void setIfAbsentAppliesOnlyToAMissingKeyAndCanReturnTheOldValue() {
        LocalGroup g = group();
        assertThat(g.mutate("k", set("a", SetCondition.IF_ABSENT, ExpiryMode.GROUP_DEFAULT, 0, false)).applied())
                .isTrue();
        MutationResult second = g.mutate("k", set("b", SetCondition.IF_ABSENT, ExpiryMode.GROUP_DEFAULT, 0, true));
        assertThat(second.applied()).isFalse();
        assertThat(text(second.value())).isEqualTo("a");
        assertThat(text(held(g, "k").value())).isEqualTo("a");
    }

    @Test
    void setIfPresentLeavesAMissingKeyMissing() {
        LocalGroup g = group();
        assertThat(g.mutate("k", set("a", SetCondition.IF_PRESENT, ExpiryMode.GROUP_DEFAULT, 0, true)))
                .isEqualTo(new MutationResult(false, null, 0));
        assertThat(held(g, "k")).isNull();
        g.put("k", bytes("old"), Optional.empty());
        MutationResult replaced = g.mutate("k", set("new", SetCondition.IF_PRESENT, ExpiryMode.GROUP_DEFAULT, 0, true));
        assertThat(replaced.applied()).isTrue();
        assertThat(text(replaced.value())).isEqualTo("old");
        assertThat(text(held(g, "k").value())).isEqualTo("new");
    }

    @Test
    void setKeepsTheExpiryOnlyWhenAskedAndOtherwiseTakesTheGroupDefault() {
        LocalGroup g = group(Optional.of(Duration.ofSeconds(60)), Limits.DEFAULTS);
        g.mutate("k", set("a", SetCondition.ALWAYS, ExpiryMode.AFTER_MILLIS, 5_000, false));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 5_000);

        g.mutate("k", set("b", SetCondition.ALWAYS, ExpiryMode.KEEP, 0, false));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 5_000);

        g.mutate("k", set("c", SetCondition.ALWAYS, ExpiryMode.GROUP_DEFAULT, 0, false));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 60_000);

        g.mutate("k", set("d", SetCondition.ALWAYS, ExpiryMode.NONE, 0, false));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(StoredValue.NEVER);
    }

    @Test
    void setWithADeadlineAlreadyPassedRemovesTheKeyButStillReturnsTheOldValue() {
        LocalGroup g = group();
        g.put("k", bytes("old"), Optional.empty());
        MutationResult result = g.mutate("k", set("new", SetCondition.ALWAYS, ExpiryMode.AT_MILLIS, NOW - 1, true));
        assertThat(result.applied()).isTrue();
        assertThat(text(result.value())).isEqualTo("old");
        assertThat(held(g, "k")).isNull();
        assertThat(g.size()).isZero();
    }

    @Test
    void incrementStartsFromZeroKeepsTheExpiryAndWritesDecimal() {
        LocalGroup g = group();
        assertThat(g.mutate("n", new Mutation.IncrementBy(5)).number()).isEqualTo(5);
        g.mutate("n", new Mutation.Expire(ExpiryMode.AFTER_MILLIS, 10_000, ExpireCondition.ALWAYS));
        assertThat(g.mutate("n", new Mutation.IncrementBy(-7)).number()).isEqualTo(-2);
        assertThat(text(held(g, "n").value())).isEqualTo("-2");
        assertThat(held(g, "n").expiresAtMillis()).isEqualTo(NOW + 10_000);
    }

    @Test
    void incrementOfANonIntegerOrPastTheRangeIsRefusedAndChangesNothing() {
        LocalGroup g = group();
        for (String notCanonical : new String[] {"abc", "01", "-0", "+1", " 1", "1.5", "", "9223372036854775808"}) {
            g.put("k", bytes(notCanonical), Optional.empty());
            assertThatThrownBy(() -> g.mutate("k", new Mutation.IncrementBy(1)))
                    .as(notCanonical)
                    .isInstanceOfSatisfying(MutationRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(MutationRefusedException.Reason.NOT_AN_INTEGER));
            assertThat(text(held(g, "k").value())).isEqualTo(notCanonical);
        }
        g.put("k", bytes(Long.toString(Long.MAX_VALUE)), Optional.empty());
        assertThatThrownBy(() -> g.mutate("k", new Mutation.IncrementBy(1)))
                .isInstanceOfSatisfying(MutationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(MutationRefusedException.Reason.WOULD_OVERFLOW));
        assertThat(text(held(g, "k").value())).isEqualTo(Long.toString(Long.MAX_VALUE));
        g.put("k", bytes(Long.toString(Long.MIN_VALUE)), Optional.empty());
        assertThat(g.mutate("k", new Mutation.IncrementBy(Long.MAX_VALUE)).number()).isEqualTo(-1);
    }

    @Test
    void concurrentIncrementsLoseNoUpdate() throws Exception {
        LocalGroup g = group();
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    g.mutate("counter", new Mutation.IncrementBy(1));
                }
            }, writers));
        }
        start.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(text(held(g, "counter").value())).isEqualTo(Integer.toString(threads * perThread));
    }

    @Test
    void appendCreatesOrExtendsAndRefusesToPassTheValueLimit() {
        LocalGroup g = group(Optional.empty(), new Limits(1024, 8));
        assertThat(g.mutate("k", new Mutation.Append(bytes("abc"))).number()).isEqualTo(3);
        assertThat(g.mutate("k", new Mutation.Append(bytes("defgh"))).number()).isEqualTo(8);
        assertThatThrownBy(() -> g.mutate("k", new Mutation.Append(bytes("i"))))
                .isInstanceOf(ValueTooLargeException.class);
        assertThat(text(held(g, "k").value())).isEqualTo("abcdefgh");
    }

    @Test
    void expireConditionsFollowRedisWithNoExpiryCountingAsNever() {
        LocalGroup g = group();
        assertThat(g.mutate("missing", new Mutation.Expire(ExpiryMode.AFTER_MILLIS, 10, ExpireCondition.ALWAYS))
                .applied()).isFalse();
        g.put("k", bytes("v"), Optional.empty());
        assertThat(expire(g, 10_000, ExpireCondition.IF_HAS_EXPIRY)).isFalse();
        assertThat(expire(g, 10_000, ExpireCondition.IF_LATER)).isFalse();
        assertThat(expire(g, 10_000, ExpireCondition.IF_SOONER)).isTrue();
        assertThat(expire(g, 20_000, ExpireCondition.IF_NO_EXPIRY)).isFalse();
        assertThat(expire(g, 5_000, ExpireCondition.IF_LATER)).isFalse();
        assertThat(expire(g, 20_000, ExpireCondition.IF_LATER)).isTrue();
        assertThat(expire(g, 15_000, ExpireCondition.IF_SOONER)).isTrue();
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 15_000);
    }

    private static boolean expire(LocalGroup g, long millis, ExpireCondition condition) {
        return g.mutate("k", new Mutation.Expire(ExpiryMode.AFTER_MILLIS, millis, condition)).applied();
    }

    @Test
    void expireInThePastRemovesTheKeyAndCountsAsApplied() {
        LocalGroup g = group();
        g.put("k", bytes("v"), Optional.empty());
        assertThat(g.mutate("k", new Mutation.Expire(ExpiryMode.AFTER_MILLIS, -5_000, ExpireCondition.ALWAYS))
                .applied()).isTrue();
        assertThat(held(g, "k")).isNull();
    }

    @Test
    void persistRemovesAnExpiryOnlyWhereThereIsOne() {
        LocalGroup g = group();
        assertThat(g.mutate("k", new Mutation.Persist()).applied()).isFalse();
        g.put("k", bytes("v"), Optional.of(Duration.ofSeconds(5)));
        assertThat(g.mutate("k", new Mutation.Persist()).applied()).isTrue();
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(StoredValue.NEVER);
        assertThat(g.mutate("k", new Mutation.Persist()).applied()).isFalse();
    }

    @Test
    void getAndDeleteReturnsTheValueOnce() {
        LocalGroup g = group();
        g.put("k", bytes("v"), Optional.empty());
        assertThat(text(g.mutate("k", new Mutation.GetAndDelete()).value())).isEqualTo("v");
        assertThat(g.mutate("k", new Mutation.GetAndDelete()).value()).isNull();
        assertThat(held(g, "k")).isNull();
    }

    @Test
    void getAndExpireChangesTheExpiryAndReturnsTheValueEvenWhenItRemovesTheKey() {
        LocalGroup g = group();
        assertThat(g.mutate("k", new Mutation.GetAndExpire(ExpiryMode.AFTER_MILLIS, 1_000)).value()).isNull();
        assertThat(held(g, "k")).isNull();

        g.put("k", bytes("v"), Optional.empty());
        assertThat(text(g.mutate("k", new Mutation.GetAndExpire(ExpiryMode.AFTER_MILLIS, 1_000)).value()))
                .isEqualTo("v");
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 1_000);
        g.mutate("k", new Mutation.GetAndExpire(ExpiryMode.KEEP, 0));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(NOW + 1_000);
        g.mutate("k", new Mutation.GetAndExpire(ExpiryMode.NONE, 0));
        assertThat(held(g, "k").expiresAtMillis()).isEqualTo(StoredValue.NEVER);
        assertThat(text(g.mutate("k", new Mutation.GetAndExpire(ExpiryMode.AT_MILLIS, NOW)).value())).isEqualTo("v");
        assertThat(held(g, "k")).isNull();
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTheKeyIsTouched() {
        LocalGroup g = group(Optional.empty(), new Limits(4, 4));
        g.put("k", bytes("v"), Optional.empty());
        assertThatThrownBy(() -> g.mutate("toolong", new Mutation.IncrementBy(1)))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> g.mutate("k", set("12345", SetCondition.ALWAYS, ExpiryMode.NONE, 0, false)))
                .isInstanceOf(ValueTooLargeException.class);
        assertThat(text(held(g, "k").value())).isEqualTo("v");
    }

    @Test
    void clearRemovesEverythingAndAnInFlightLoadDoesNotRefillIt() throws Exception {
        CompletableFuture<Optional<byte[]>> pendingLoad = new CompletableFuture<>();
        GroupSettings settings = new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(10));
        LocalGroup g = new LocalGroup(settings,
                Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get),
                key -> pendingLoad, Limits.DEFAULTS, now::get);
        g.put("a", bytes("1"), Optional.empty());
        g.put("b", bytes("2"), Optional.empty());
        CompletableFuture<Optional<byte[]>> loading = g.get("loaded");

        assertThat(g.clear()).isEqualTo(2);
        pendingLoad.complete(Optional.of(bytes("stale")));

        assertThat(loading.get(5, TimeUnit.SECONDS).map(LocalGroupMutationTest::text)).contains("stale");
        assertThat(g.size()).isZero();
        assertThat(held(g, "loaded")).isNull();
    }
}
