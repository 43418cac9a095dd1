package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredValueTest {

    private static final byte[] BYTES = {1, 2, 3};

    @Test
    void aValueWithoutExpiryNeverExpires() {
        StoredValue value = StoredValue.of(BYTES, StoredValue.NEVER, 7);

        assertThat(value).isInstanceOf(StoredValue.WithoutExpiry.class);
        assertThat(value.value()).isSameAs(BYTES);
        assertThat(value.version()).isEqualTo(7);
        assertThat(value.expiresAtMillis()).isEqualTo(StoredValue.NEVER);
        assertThat(value.isExpiredAt(StoredValue.LATEST_DEADLINE)).isFalse();
        assertThat(value.remainingMillisAt(1_000)).isEqualTo(StoredValue.NEVER);
    }

    @Test
    void aValueWithExpiryKeepsItsDeadline() {
        StoredValue value = StoredValue.of(BYTES, 5_000, 7);

        assertThat(value).isInstanceOf(StoredValue.WithExpiry.class);
        assertThat(value.value()).isSameAs(BYTES);
        assertThat(value.version()).isEqualTo(7);
        assertThat(value.expiresAtMillis()).isEqualTo(5_000);
        assertThat(value.isExpiredAt(4_999)).isFalse();
        assertThat(value.isExpiredAt(5_000)).isTrue();
        assertThat(value.remainingMillisAt(3_000)).isEqualTo(2_000);
        assertThat(value.remainingMillisAt(6_000)).isZero();
    }

    /** The latest deadline there is still expires, and is not taken for no expiry. */
    @Test
    void theLatestDeadlineIsADeadline() {
        StoredValue value = StoredValue.of(BYTES, StoredValue.LATEST_DEADLINE);

        assertThat(value).isInstanceOf(StoredValue.WithExpiry.class);
        assertThat(value.expiresAtMillis()).isEqualTo(StoredValue.LATEST_DEADLINE);
        assertThat(value.isExpiredAt(StoredValue.LATEST_DEADLINE)).isTrue();
        assertThat(value.version()).isEqualTo(StoredValue.UNVERSIONED);
    }

    @Test
    void refusesANullArray() {
        assertThatThrownBy(() -> StoredValue.of(null, StoredValue.NEVER, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThatThrownBy(() -> StoredValue.of(null, 5_000, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("value");
    }

    /** What a log line or a failed assertion shows: sizes and numbers, never the bytes. */
    @Test
    void describesItselfWithoutItsBytes() {
        assertThat(StoredValue.of("secret".getBytes(StandardCharsets.UTF_8), 5_000, 7))
                .hasToString("StoredValue[6 bytes, expiresAtMillis=5000, version=7]");
    }
}
