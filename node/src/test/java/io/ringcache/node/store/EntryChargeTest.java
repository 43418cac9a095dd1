package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryChargeTest {

    private static final byte[] VALUE = new byte[10];

    /** ASCII, Latin letters with accents, CJK, an emoji (a surrogate pair), an unpaired surrogate, empty. */
    @ParameterizedTest
    @ValueSource(strings = {"key:123", "crème brûlée", "日本語のキー", "hot 🔥 key", "broken \uD83D pair", "\uFFFF", ""})
    void byteChargeIsTheKeysUtf8BytesPlusTheValueAndTheOverhead(String key) {
        int utf8 = key.getBytes(StandardCharsets.UTF_8).length;

        assertThat(EntryCharge.utf8Length(key)).isEqualTo(utf8);
        assertThat(EntryCharge.BYTES.charge(key, VALUE))
                .isEqualTo(utf8 + VALUE.length + EntryCharge.ENTRY_OVERHEAD_BYTES);
    }

    /** The bound a store checks first: never below the charge. */
    @ParameterizedTest
    @ValueSource(strings = {"key:123", "crème brûlée", "日本語のキー", "hot 🔥 key", "broken \uD83D pair", "\uFFFF", ""})
    void byteChargeAtMostBoundsTheChargeWithThreeBytesPerChar(String key) {
        assertThat(EntryCharge.BYTES.chargeAtMost(key, VALUE))
                .isGreaterThanOrEqualTo(EntryCharge.BYTES.charge(key, VALUE))
                .isEqualTo(3L * key.length() + VALUE.length + EntryCharge.ENTRY_OVERHEAD_BYTES);
    }

    /** A key of 3-byte characters is where the bound is exact. */
    @Test
    void byteChargeAtMostIsTheChargeForThreeByteCharacters() {
        assertThat(EntryCharge.BYTES.chargeAtMost("日本語", VALUE)).isEqualTo(EntryCharge.BYTES.charge("日本語", VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "日本語"})
    void unitChargeIsOnePerEntryWhateverItsSize(String key) {
        assertThat(EntryCharge.UNIT.charge(key, new byte[1 << 20])).isEqualTo(1);
        assertThat(EntryCharge.UNIT.chargeAtMost(key, new byte[1 << 20])).isEqualTo(1);
    }
}
