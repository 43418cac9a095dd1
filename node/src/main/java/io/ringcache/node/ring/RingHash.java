package io.ringcache.node.ring;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import net.openhft.hashing.LongHashFunction;

/** The hash that places keys and virtual nodes on the ring. Every node of a cluster must use the same one. */
@FunctionalInterface
public interface RingHash {

    /** XXH3, 64 bits, hashing the key's UTF-16 chars without allocating. The default. */
    RingHash XXH3 = LongHashFunction.xx3()::hashChars;

    /** CRC-32 (IEEE) of the UTF-8 bytes, as groupcache's consistent hash does; for compatibility. */
    RingHash CRC32 = text -> {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    };

    long hash(String text);

    /**
     * The hash named in configuration: {@code xxh3} or {@code crc32}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static RingHash named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "xxh3" -> XXH3;
            case "crc32" -> CRC32;
            default -> throw new IllegalArgumentException("'" + name + "' is not a ring hash; use xxh3 or crc32");
        };
    }
}
