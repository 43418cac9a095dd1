package io.ringcache.node.hot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotTierTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final TimeSource clock = now::get;
    private final HotTier tier = new HotTier(64 * 1024, Duration.ofSeconds(5), clock);

    @Test
    void copyIsServedUntilTheHotKeyTtlPasses() {
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), now.get());
        assertThat(tier.get("k").value()).containsExactly(1);
        now.addAndGet(5_000);
        assertThat(tier.get("k")).isNull();
        assertThat(tier.hits()).isEqualTo(1);
    }

    @Test
    void copyNeverOutlivesTheValuesOwnExpiry() {
        tier.offer("k", new byte[] {1}, now.get() + 1_000, tier.epochOf("k"), now.get());
        now.addAndGet(1_000);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void copyCarriesTheOwnersExpiryNotItsOwnShorterLife() {
        tier.offer("forever", new byte[] {1}, StoredValue.NEVER, tier.epochOf("forever"), now.get());
        tier.offer("hour", new byte[] {1}, now.get() + 3_600_000, tier.epochOf("hour"), now.get());
        assertThat(tier.get("forever").expiresAtMillis()).isEqualTo(StoredValue.NEVER);
        assertThat(tier.get("hour").expiresAtMillis()).isEqualTo(now.get() + 3_600_000);
    }

    @Test
    void copyLivesTheTtlFromWhenItWasAskedForNotFromWhenTheAnswerArrived() {
        long askedAt = now.get();
        now.addAndGet(3_000);
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), askedAt);
        assertThat(tier.get("k")).isNotNull();
        now.addAndGet(2_000);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void invalidationDropsTheCopy() {
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, tier.epochOf("k"), now.get());
        tier.invalidate("k");
        assertThat(tier.get("k")).isNull();
        assertThat(tier.invalidationsReceived()).isEqualTo(1);
    }

    @Test
    void answerInFlightWhenAnInvalidationArrivedIsNotKept() {
        long epochWhenAsked = tier.epochOf("k");
        tier.invalidate("k");
        tier.offer("k", new byte[] {1}, StoredValue.NEVER, epochWhenAsked, now.get());
        assertThat(tier.get("k")).isNull();
        assertThat(tier.copiesKept()).isZero();
    }

    @Test
    void ringChangeDropsEveryCopyAndAnswersInFlight() {
        tier.offer("a", new byte[] {1}, StoredValue.NEVER, tier.epochOf("a"), now.get());
        long epochOfB = tier.epochOf("b");
        tier.clear();
        tier.offer("b", new byte[] {2}, StoredValue.NEVER, epochOfB, now.get());
        assertThat(tier.get("a")).isNull();
        assertThat(tier.get("b")).isNull();
    }

    @Test
    void tierStaysWithinItsBudget() {
        for (int i = 0; i < 1_000; i++) {
            tier.offer("k" + i, new byte[1024], StoredValue.NEVER, tier.epochOf("k" + i), now.get());
        }
        assertThat(tier.copiesHeld() * (1024 + 64)).isLessThanOrEqualTo(64 * 1024);
    }
}
