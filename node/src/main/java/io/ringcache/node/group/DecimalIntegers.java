package io.ringcache.node.group;

/**
 * Reads signed 64-bit integers written in canonical decimal, the form Redis accepts for counters and numeric
 * arguments: an optional {@code -}, then digits without leading zeros ({@code 0} alone is fine, {@code -0},
 * {@code +1}, {@code 01} and spaces are not), at most 20 characters, within the range of a {@code long}.
 */
public final class DecimalIntegers {

    /** The longest canonical form: {@code -9223372036854775808}. */
    private static final int MAX_LENGTH = 20;

    private DecimalIntegers() {
    }

    /**
     * The value of {@code bytes[from, from + length)}.
     *
     * @throws NumberFormatException when it is not a canonical decimal {@code long}
     */
    public static long parse(byte[] bytes, int from, int length) {
        if (length <= 0 || length > MAX_LENGTH) {
            throw notCanonical();
        }
        int i = from;
        int end = from + length;
        if (length == 1 && bytes[i] == '0') {
            return 0;
        }
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end || bytes[i] < '1' || bytes[i] > '9') {
            throw notCanonical();
        }
        // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
        long result = 0;
        for (; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || result < (Long.MIN_VALUE + digit) / 10) {
                throw notCanonical();
            }
            result = result * 10 - digit;
        }
        if (!negative) {
            if (result == Long.MIN_VALUE) {
                throw notCanonical();
            }
            return -result;
        }
        return result;
    }

    /** As {@link #parse(byte[], int, int)} over the whole array. */
    public static long parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    private static NumberFormatException notCanonical() {
        return new NumberFormatException("not a canonical decimal 64-bit integer");
    }
}
