package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which writes keep a load in flight from caching what it loaded: those of its key, and clears, only. */
class LocalGroupLoadsAndWritesTest {

    private static final byte[] WRITTEN = "written".getBytes(UTF_8);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TimeSource time = now::get;
    private final ManualLoader loader = new ManualLoader();
    private final LocalGroup group = new LocalGroup(
            new GroupSettings("items", 64 << 20, EvictionPolicyName.LRU, Optional.empty(),
                    Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(10)),
            Stores.create(EvictionPolicyName.LRU, 64 << 20, EntryCharge.BYTES, time), loader, Limits.DEFAULTS, time);

    private static String text(CompletableFuture<Optional<byte[]>> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    /**
     * Tries a thousand other keys, one at a time, each written while a load of {@code a} is in flight: whatever way
     * keys are grouped for locking, some of them share one with {@code a}, and none may keep its load from caching.
     */
    @Test
    void writeOfAnotherKeyDuringALoadDoesNotKeepTheLoadedValueOut() throws Exception {
        List<String> keptOut = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String other = "other-" + i;
            CompletableFuture<Optional<byte[]>> reader = group.get("a");
            group.put(other, WRITTEN, Optional.empty());
            loader.completeLast("loaded");
            assertThat(text(reader)).isEqualTo("loaded");
            if (group.getHeld("a") == null) {
                keptOut.add(other);
            }
            group.delete("a");
        }
        assertThat(loader.calls).hasSize(1_000);
        assertThat(keptOut).as("keys whose write kept the load of a from caching").isEmpty();
    }

    /**
     * The steady state a reviewer worked out: 5,000 writes a second of other keys while loads take 50 ms, so 250
     * writes during each load. Every load caches its value.
     */
    @Test
    void loadsDuringSteadyWritesOfOtherKeysCacheWhatTheyLoad() throws Exception {
        int loads = 200;
        int cached = 0;
        for (int i = 0; i < loads; i++) {
            String key = "loaded-" + i;
            CompletableFuture<Optional<byte[]>> reader = group.get(key);
            for (int w = 0; w < 250; w++) {
                group.put("written-" + i + "-" + w, WRITTEN, Optional.empty());
            }
            loader.completeLast("loaded");
            assertThat(text(reader)).isEqualTo("loaded");
            if (group.getHeld(key) != null) {
                cached++;
            }
        }
        assertThat(cached).as("loads of %d that cached their value", loads).isEqualTo(loads);
    }

    @Test
    void clearDuringALoadKeepsTheLoadedValueOut() throws Exception {
        CompletableFuture<Optional<byte[]>> reader = group.get("k");
        group.clear();
        loader.completeLast("from before the clear");

        assertThat(text(reader)).isEqualTo("from before the clear");
        assertThat(group.getHeld("k")).isNull();
    }

    /**
     * Two loads of one key in flight at once, one from before a delete and one from after it: the older finishing first
     * does not stop the newer from caching.
     */
    @Test
    void loadFromBeforeADeleteFinishingFirstLeavesTheLoadAfterItToCache() throws Exception {
        CompletableFuture<Optional<byte[]>> before = group.get("k");
        group.delete("k");
        CompletableFuture<Optional<byte[]>> after = group.get("k");
        assertThat(loader.calls).hasSize(2);

        loader.pending.get(0).complete(Optional.of("from before the delete".getBytes(UTF_8)));
        assertThat(text(before)).isEqualTo("from before the delete");
        assertThat(group.getHeld("k")).isNull();
        loader.pending.get(1).complete(Optional.of("fresh".getBytes(UTF_8)));
        assertThat(text(after)).isEqualTo("fresh");
        assertThat(new String(group.getHeld("k").value(), UTF_8)).isEqualTo("fresh");
    }

    /** However a load ends, its key is tracked no longer: what is tracked is bounded by the loads in flight. */
    @Test
    void aKeyIsTrackedOnlyWhileALoadOfItIsInFlight() throws Exception {
        CompletableFuture<Optional<byte[]>> cached = group.get("cached");
        CompletableFuture<Optional<byte[]>> notFound = group.get("not-found");
        CompletableFuture<Optional<byte[]>> failed = group.get("failed");
        CompletableFuture<Optional<byte[]>> tooLarge = group.get("too-large");
        CompletableFuture<Optional<StoredValue>> notKept = group.loadWithoutKeeping("not-kept");
        group.put("cached", WRITTEN, Optional.empty());
        assertThat(group.keysLoading()).isEqualTo(5);

        loader.pending.get(0).complete(Optional.of("loaded".getBytes(UTF_8)));
        loader.pending.get(1).complete(Optional.empty());
        loader.pending.get(2).completeExceptionally(new LoadFailedException("origin answered HTTP 500"));
        loader.pending.get(3).complete(Optional.of(new byte[Limits.DEFAULTS.maxValueBytes() + 1]));
        loader.pending.get(4).complete(Optional.of("loaded".getBytes(UTF_8)));

        assertThat(text(cached)).isEqualTo("loaded");
        assertThat(text(notFound)).isNull();
        assertThat(failed).failsWithin(Duration.ofSeconds(5));
        assertThat(tooLarge).failsWithin(Duration.ofSeconds(5));
        assertThat(notKept.get(5, TimeUnit.SECONDS)).isPresent();
        assertThat(group.keysLoading()).isZero();
        assertThat(new String(group.getHeld("cached").value(), UTF_8)).isEqualTo("written");
    }

    /** A loader that throws an Error, not an exception, ends its load too: its key does not stay tracked for good. */
    @Test
    void aKeyIsTrackedNoLongerAfterItsLoaderThrewAnError() {
        LocalGroup throwing = new LocalGroup(group.settings(), Stores.create(EvictionPolicyName.LRU, 64 << 20,
                EntryCharge.BYTES, time), key -> {
                    throw new AssertionError("bug in loader");
                }, Limits.DEFAULTS, time);

        assertThat(throwing.get("k")).failsWithin(Duration.ofSeconds(5));
        assertThat(throwing.keysLoading()).isZero();
    }
}
