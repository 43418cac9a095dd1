package io.ringcache.node.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link RingHash#XXH3} is XXH3-64 (seed 0) of the key's UTF-16LE code units, whatever the runtime: the hashing
 * library reads a HotSpot string's internal bytes directly, and on any VM it does not recognise (a native
 * executable's among them) goes through {@code charAt}. Nodes of one cluster on different runtimes (a JVM image
 * beside a native one during a rollout) must place every key alike.
 */
class RingHashTest {

    private static final List<String> KEYS = List.of("a", "user:42", "Ümlaut café", "ключ", "键值", "emoji 😀 key",
            "x".repeat(1_000), "mixed ü и 😀 " + "y".repeat(300));

    @Test
    void xxh3IsTheHashOfTheKeysUtf16LittleEndianCodeUnits() {
        for (String key : KEYS) {
            long portable = LongHashFunction.xx3().hashBytes(key.getBytes(StandardCharsets.UTF_16LE));
            assertThat(RingHash.XXH3.hash(key)).as(key).isEqualTo(portable);
        }
    }

    @Test
    void xxh3OfAStringEqualsItsHashReadCharByChar() {
        for (String key : KEYS) {
            // A CharSequence that is not a String takes the library's generic path, the one an unknown VM takes.
            long charByChar = LongHashFunction.xx3().hashChars(new StringBuilder(key));
            assertThat(RingHash.XXH3.hash(key)).as(key).isEqualTo(charByChar);
        }
    }

    @Test
    void crc32IsTheIeeeCrcOfTheUtf8Bytes() {
        // The check value of CRC-32/ISO-HDLC.
        assertThat(RingHash.CRC32.hash("123456789")).isEqualTo(0xCBF43926L);
    }
}
