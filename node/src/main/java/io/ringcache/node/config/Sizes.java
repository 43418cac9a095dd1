package io.ringcache.node.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people and Kubernetes write them: {@code 1048576}, {@code 64M}, {@code 64MiB},
 * {@code 512Mi}, {@code 1g}. Suffixes are binary (K = 1024) whatever their spelling, because a
 * cache budget is carved out of a heap measured in binary units.
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B?)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * Parses {@code text} as a byte count.
     *
     * @param key the configuration key, named in the error
     * @throws ConfigException when the text is not a size or does not fit a {@code long}
     */
    public static long parse(String key, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw notASize(key, text);
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "" -> 0;
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        if (m.group(2).isEmpty() && !m.group(3).isEmpty() && !m.group(3).equalsIgnoreCase("B")) {
            throw notASize(key, text);
        }
        try {
            long number = Long.parseLong(m.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw notASize(key, text);
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw notASize(key, text);
        }
    }

    /** {@code bytes} in the largest binary unit that divides it exactly, e.g. {@code 64M}. */
    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int unit = 0;
        while (unit < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
            bytes /= 1024;
            unit++;
        }
        return bytes + units[unit];
    }

    private static ConfigException notASize(String key, String text) {
        return new ConfigException(key, "'" + text + "' is not a size; use bytes or a suffix K, M, G (e.g. 64M)");
    }
}
