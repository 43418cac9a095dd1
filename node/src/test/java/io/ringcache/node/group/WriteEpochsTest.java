package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteEpochsTest {

    private final WriteEpochs epochs = new WriteEpochs();
    private final AtomicInteger fills = new AtomicInteger();

    @Test
    void aWriteStopsOnlyTheLoadsOfItsKeyThatStartedBeforeIt() {
        WriteEpochs.Load before = epochs.start("k");
        WriteEpochs.Load otherKey = epochs.start("other");
        epochs.write("k", () -> { });
        WriteEpochs.Load after = epochs.start("k");

        assertThat(epochs.fillIfUnwritten(before, fills::incrementAndGet)).isFalse();
        assertThat(epochs.fillIfUnwritten(otherKey, fills::incrementAndGet)).isTrue();
        assertThat(epochs.fillIfUnwritten(after, fills::incrementAndGet)).isTrue();
        assertThat(fills).hasValue(2);
    }

    @Test
    void advanceAllStopsEveryLoadInFlightAndNoLaterOne() {
        WriteEpochs.Load a = epochs.start("a");
        WriteEpochs.Load b = epochs.start("b");
        epochs.advanceAll();
        WriteEpochs.Load later = epochs.start("a");

        assertThat(epochs.fillIfUnwritten(a, fills::incrementAndGet)).isFalse();
        assertThat(epochs.fillIfUnwritten(b, fills::incrementAndGet)).isFalse();
        assertThat(epochs.fillIfUnwritten(later, fills::incrementAndGet)).isTrue();
    }

    @Test
    void aWriteThatFailsStillStopsTheLoadsBeforeIt() {
        WriteEpochs.Load before = epochs.start("k");
        assertThatThrownBy(() -> epochs.write("k", () -> {
            throw new ValueTooLargeException("refused half way");
        })).isInstanceOf(ValueTooLargeException.class);

        assertThat(epochs.fillIfUnwritten(before, fills::incrementAndGet)).isFalse();
    }

    /** Each load of a key counts: the key goes once the last ends, also after a fill that failed. */
    @Test
    void aKeyIsTrackedUntilItsLastLoadEnds() {
        WriteEpochs.Load first = epochs.start("k");
        WriteEpochs.Load second = epochs.start("k");
        assertThatThrownBy(() -> epochs.fillIfUnwritten(first, () -> {
            throw new ValueTooLargeException("does not fit");
        })).isInstanceOf(ValueTooLargeException.class);
        epochs.finish(first);
        assertThat(epochs.keysLoading()).isEqualTo(1);

        epochs.write("k", () -> { });
        epochs.finish(second);
        epochs.write("k", () -> { });
        assertThat(epochs.keysLoading()).isZero();
    }
}
