package io.ringcache.node.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: whole seconds ({@code 30}), a number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}, {@code P1D}).
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    /**
     * The longest duration accepted: about 292 years, the most that nanoseconds in a {@code long} count.
     * Timers and expiries add durations to clocks in milliseconds and nanoseconds; anything longer would
     * overflow them, and a TTL that long is better written as no TTL.
     */
    public static final Duration MAX = Duration.ofDays(106_751);

    private Durations() {
    }

    /**
     * Parses {@code text} as a duration from one millisecond to {@link #MAX}. Every duration is used in whole
     * milliseconds, so a shorter one would be zero: a TTL that expires its value as it is written.
     *
     * @param what names the value in the error, e.g. a configuration key or {@code ttl}
     * @throws ConfigException when the text is not a duration, is not positive, is under a millisecond or
     *     is longer than {@link #MAX}
     */
    public static Duration parsePositive(String what, String text) {
        Duration d = parse(what, text.trim());
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(what, "'" + text + "' must be longer than zero");
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new ConfigException(what, "'" + text + "' is shorter than a millisecond; use at least 1ms");
        }
        if (d.compareTo(MAX) > 0) {
            throw tooLong(what, text);
        }
        return d;
    }

    private static Duration parse(String what, String text) {
        Matcher m = SIMPLE.matcher(text);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (ArithmeticException | NumberFormatException e) {
            // Digits and a unit, but more than a long holds: a duration, only far too long.
            throw tooLong(what, text);
        } catch (DateTimeParseException e) {
            // Duration.parse reports a number beyond a long (NumberFormatException) or an overflowing total
            // (ArithmeticException) as its cause: valid ISO-8601, only far too long.
            if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                throw tooLong(what, text);
            }
            throw new ConfigException(what, "'" + text + "' is not a duration; use seconds (30), a unit (500ms, 30s,"
                    + " 5m, 2h, 1d) or an ISO-8601 duration in days, hours, minutes and seconds (PT30S, P2DT1H; not"
                    + " years, months or weeks)");
        }
    }

    private static ConfigException tooLong(String what, String text) {
        return new ConfigException(what, "'" + text + "' is too long; use at most " + format(MAX) + " (about 292 years)");
    }

    /** A short form of {@code d} that {@link #parsePositive} reads back, e.g. {@code 30s} or {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
