package io.ringcache.node.hot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotTierTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong nanos = new AtomicLong(-7_000_000_000L);
    private final TimeSource clock = now::get;
    private final HotTier tier = new HotTier(64 * 1024, Duration.ofSeconds(5), clock, nanos::get);

    /** Time passes on both clocks. */
    private void pass(long millis) {
        now.addAndGet(millis);
        nanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void copyIsServedUntilTheHotKeyTtlPasses() {
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), tier.askedAt());
        assertThat(tier.get("k").value()).containsExactly(1);
        pass(5_000);
        assertThat(tier.get("k")).isNull();
        assertThat(tier.hits()).isEqualTo(1);
    }

    /**
     * The owner remembers a copy's holder for the copy's life on its monotonic clock: a wall clock stepping back here
     * must not keep the copy longer, where the owner's writes would no longer invalidate it.
     */
    @Test
    void copyLivesItsTtlWhateverTheWallClockDoes() {
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), tier.askedAt());
        now.addAndGet(-60_000);
        nanos.addAndGet(4_999_000_000L);
        assertThat(tier.get("k")).isNotNull();
        nanos.addAndGet(1_000_000);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void copyNeverOutlivesTheValuesOwnExpiry() {
        tier.offer("k", new byte[] {1}, now.get() + 1_000, tier.epochOf("k"), tier.askedAt());
        pass(1_000);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void copyCarriesTheOwnersExpiryNotItsOwnShorterLife() {
        tier.offer("forever", new byte[] {1}, StoredValue.NEVER, tier.epochOf("forever"), tier.askedAt());
        tier.offer("hour", new byte[] {1}, now.get() + 3_600_000, tier.epochOf("hour"), tier.askedAt());
        assertThat(tier.get("forever").expiresAtMillis()).isEqualTo(StoredValue.NEVER);
        assertThat(tier.get("hour").expiresAtMillis()).isEqualTo(now.get() + 3_600_000);
    }

    @Test
    void copyLivesTheTtlFromWhenItWasAskedForNotFromWhenTheAnswerArrived() {
        long askedAt = tier.askedAt();
        pass(3_000);
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), askedAt);
        assertThat(tier.get("k")).isNotNull();
        pass(2_000);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void invalidationDropsTheCopy() {
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), tier.askedAt());
        tier.invalidate("k");
        assertThat(tier.get("k")).isNull();
        assertThat(tier.invalidationsReceived()).isEqualTo(1);
    }

    @Test
    void answerInFlightWhenAnInvalidationArrivedIsNotKept() {
        long epochWhenAsked = tier.epochOf("k");
        tier.invalidate("k");
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, epochWhenAsked, tier.askedAt());
        assertThat(tier.get("k")).isNull();
        assertThat(tier.copiesKept()).isZero();
    }

    @Test
    void ringChangeDropsEveryCopyAndAnswersInFlight() {
        tier.offer("a", new byte[] {1}, StoredValue.NEVER, tier.epochOf("a"), tier.askedAt());
        long epochOfB = tier.epochOf("b");
        tier.clear();
        tier.offer("b", new byte[] {2}, StoredValue.NEVER, epochOfB, tier.askedAt());
        assertThat(tier.get("a")).isNull();
        assertThat(tier.get("b")).isNull();
    }

    @Test
    void tierStaysWithinItsBudget() {
        for (int i = 0; i < 1_000; i++) {
            tier.offer("k" + i, new byte[1024], StoredValue.NEVER, tier.epochOf("k" + i), tier.askedAt());
        }
        assertThat(tier.copiesHeld() * (1024 + 64)).isLessThanOrEqualTo(64 * 1024);
    }
}
