package io.ringcache.node.store;

/**
 * What one entry costs against a store's budget. Production stores charge bytes; trace replays charge
 * one unit per entry so that a budget is an entry count.
 */
@FunctionalInterface
public interface EntryCharge {

    /**
     * A fixed per-entry charge on top of key and value bytes. It stands for the JVM objects every entry
     * costs whatever its size (the map node, the store's node, the {@link StoredValue}, array and string
     * headers), so that a budget of tiny entries still bounds the heap.
     */
    int ENTRY_OVERHEAD_BYTES = 64;

    /** Bytes: the key's UTF-8 length + the value's length + {@link #ENTRY_OVERHEAD_BYTES}. */
    EntryCharge BYTES = new EntryCharge() {
        @Override
        public long charge(String key, byte[] value) {
            // Summed as longs: a value near the largest array plus the key and overhead passes Integer.MAX_VALUE,
            // and an int sum would wrap to a negative charge that every budget accepts.
            return utf8Length(key) + value.length + ENTRY_OVERHEAD_BYTES;
        }

        /** A {@code char} encodes to at most 3 UTF-8 bytes (a surrogate pair, two {@code char}s, to 4). */
        @Override
        public long chargeAtMost(String key, byte[] value) {
            return 3L * key.length() + value.length + ENTRY_OVERHEAD_BYTES;
        }
    };

    /** One unit per entry, for entry-count budgets (trace replays). */
    EntryCharge UNIT = (key, value) -> 1;

    long charge(String key, byte[] value);

    /**
     * An upper bound of {@link #charge}, cheaper to compute: a store whose weigher computes the exact charge anyway
     * checks a put against its budget with this first and computes the charge twice only for an entry near it.
     */
    default long chargeAtMost(String key, byte[] value) {
        return charge(key, value);
    }

    /**
     * The UTF-8 length of {@code s} without encoding it. Unpaired surrogates count as one byte ('?'). A long: a
     * string of more than {@code Integer.MAX_VALUE / 3} three-byte characters encodes to more bytes than an int holds.
     */
    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

}
