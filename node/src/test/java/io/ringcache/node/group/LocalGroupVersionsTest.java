package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Writes copied from other members (backups, hinted hand-off) apply only over older versions of a key. */
class LocalGroupVersionsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LocalGroup group = new LocalGroup(
            new GroupSettings("kv", 1 << 20, EvictionPolicyName.LRU, Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5)),
            Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get), null, Limits.DEFAULTS, now::get);

    private String held(String key) {
        StoredValue v = group.mainStore().peek(key);
        return v == null ? null : new String(v.value(), UTF_8);
    }

    @Test
    void theOwnersWritesGetGrowingVersionsKeptWithTheValue() {
        long first = group.putEntry("k", "a".getBytes(UTF_8), StoredValue.NEVER);
        long second = group.putEntry("k", "b".getBytes(UTF_8), StoredValue.NEVER);
        AppliedWrite deleted = group.delete("k");
        assertThat(second).isGreaterThan(first);
        assertThat(deleted.version()).isGreaterThan(second);
        assertThat(deleted.removed()).isTrue();
        assertThat(group.putEntryIfNewer("k", "as old as the delete".getBytes(UTF_8), StoredValue.NEVER,
                deleted.version())).as("the delete's version is remembered").isFalse();
        long third = group.putEntry("k", "c".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.mainStore().peek("k").version()).isEqualTo(third);
    }

    @Test
    void aCopyAppliesOverAnOlderVersionAndNotOverTheSameOrANewerOne() {
        long version = group.putEntry("k", "owner's".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, version - 1)).isFalse();
        assertThat(group.putEntryIfNewer("k", "same".getBytes(UTF_8), StoredValue.NEVER, version)).isFalse();
        assertThat(held("k")).isEqualTo("owner's");
        assertThat(group.putEntryIfNewer("k", "newer".getBytes(UTF_8), StoredValue.NEVER, version + 1)).isTrue();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.mainStore().peek("k").version()).isEqualTo(version + 1);
    }

    @Test
    void aDeleteKeepsOlderCopiesFromBringingTheKeyBack() {
        long written = group.putEntry("k", "v".getBytes(UTF_8), StoredValue.NEVER);
        long deleted = group.delete("k").version();
        assertThat(group.putEntryIfNewer("k", "late copy".getBytes(UTF_8), StoredValue.NEVER, written)).isFalse();
        assertThat(held("k")).isNull();
        assertThat(group.putEntryIfNewer("k", "after".getBytes(UTF_8), StoredValue.NEVER, deleted + 1)).isTrue();
        assertThat(held("k")).isEqualTo("after");
    }

    @Test
    void aCopiedDeleteAppliesOnlyOverOlderVersions() {
        long version = group.putEntry("k", "v".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.deleteIfNewer("k", version - 1)).isFalse();
        assertThat(held("k")).isEqualTo("v");
        assertThat(group.deleteIfNewer("k", version + 1)).isTrue();
        assertThat(held("k")).isNull();
        assertThat(group.putEntryIfNewer("k", "between".getBytes(UTF_8), StoredValue.NEVER, version)).isFalse();
    }

    @Test
    void aHandedOverEntryReplacesOnlyAnOlderVersion() {
        long kept = group.putEntry("k", "kept from before".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.acceptHandedOver("k", "newer".getBytes(UTF_8), StoredValue.NEVER, kept + 1)).isTrue();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, kept)).isFalse();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.acceptHandedOver("loaded", "from an origin".getBytes(UTF_8), StoredValue.NEVER,
                StoredValue.UNVERSIONED)).as("an unversioned entry for a key not held here").isTrue();
    }

    @Test
    void anyCopiedWriteReplacesAValueLoadedFromTheOrigin() throws Exception {
        LocalGroup readThrough = new LocalGroup(
                new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                        Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(5)),
                Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get),
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))),
                Limits.DEFAULTS, now::get);
        readThrough.get("k").get(5, TimeUnit.SECONDS);
        assertThat(readThrough.mainStore().peek("k").version()).isEqualTo(StoredValue.UNVERSIONED);
        assertThat(readThrough.putEntryIfNewer("k", "written".getBytes(UTF_8), StoredValue.NEVER, 1)).isTrue();
    }

    @Test
    void theOwnersNextWriteIsNewerThanAnyVersionItWasSent() {
        long far = (now.get() + 60_000) << WriteStamps.COUNTER_BITS;
        group.putEntryIfNewer("k", "from a member whose clock runs ahead".getBytes(UTF_8), StoredValue.NEVER, far);
        long mine = group.putEntry("k", "mine".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(mine).isGreaterThan(far);
    }
}
