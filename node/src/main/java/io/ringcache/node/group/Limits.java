package io.ringcache.node.group;

/**
 * Size limits enforced at every front door before anything is written.
 *
 * @param maxKeyBytes the longest key, in UTF-8 bytes
 * @param maxValueBytes the largest value, in bytes
 */
public record Limits(int maxKeyBytes, int maxValueBytes) {

    public static final int DEFAULT_MAX_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

    public Limits {
        if (maxKeyBytes <= 0 || maxValueBytes < 0) {
            throw new IllegalArgumentException("limits must be positive: max-key-bytes=" + maxKeyBytes
                    + ", max-value-bytes=" + maxValueBytes);
        }
    }

    /**
     * Checks that {@code key} can be stored: not empty, valid Unicode (so it has a UTF-8 form), at most
     * {@link #maxKeyBytes()} UTF-8 bytes.
     *
     * @throws InvalidKeyException saying which rule the key breaks
     */
    public void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("the key is empty; use at least one character");
        }
        // One pass over the key, on every request: validity and UTF-8 length together.
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                throw new InvalidKeyException("the key holds an unpaired UTF-16 surrogate at index " + i
                        + "; keys must be valid Unicode");
            }
        }
        if (bytes > maxKeyBytes) {
            throw new InvalidKeyException("the key is " + bytes + " bytes of UTF-8; the limit is " + maxKeyBytes);
        }
    }

    /**
     * Checks that a value of {@code length} bytes may be stored.
     *
     * @throws ValueTooLargeException when it is longer than {@link #maxValueBytes()}
     */
    public void checkValue(long length) {
        if (length > maxValueBytes) {
            throw new ValueTooLargeException("the value is " + length + " bytes; the limit is " + maxValueBytes
                    + " (ringcache.max-value-bytes)");
        }
    }
}
