package io.ringcache.node.resp;

import io.ringcache.node.group.Mutation.ExpiryMode;
import io.ringcache.node.group.Mutation.SetCondition;

/**
 * The options of SET ({@code NX XX GET KEEPTTL EX PX EXAT PXAT}) and GETEX ({@code EX PX EXAT PXAT PERSIST}),
 * parsed with Redis's rules: options in any case and order, a repeated option allowed, conflicting ones
 * ({@code NX} with {@code XX}, two kinds of expiry, {@code KEEPTTL} with an expiry) a syntax error; the
 * expiry's number is checked only after every option has parsed.
 */
final class ExpiryOptions {

    enum Command { SET, GETEX }

    private boolean nx;
    private boolean xx;
    private boolean get;
    private boolean keepTtl;
    private boolean persist;
    /** Which of EX, PX, EXAT, PXAT was given (lowercase), or {@code null}. */
    private String unit;
    private byte[] amount;

    private ExpiryOptions() {
    }

    /**
     * Parses {@code args[from..]}.
     *
     * @throws CommandError {@code ERR syntax error} for an unknown, conflicting or incomplete option
     */
    static ExpiryOptions parse(byte[][] args, int from, Command command) {
        ExpiryOptions o = new ExpiryOptions();
        boolean set = command == Command.SET;
        for (int i = from; i < args.length; i++) {
            byte[] option = args[i];
            boolean hasNext = i + 1 < args.length;
            if (set && Arguments.is(option, "nx") && !o.xx) {
                o.nx = true;
            } else if (set && Arguments.is(option, "xx") && !o.nx) {
                o.xx = true;
            } else if (set && Arguments.is(option, "get")) {
                o.get = true;
            } else if (set && Arguments.is(option, "keepttl") && !o.persist && o.unit == null) {
                o.keepTtl = true;
            } else if (!set && Arguments.is(option, "persist") && o.unit == null && !o.keepTtl) {
                o.persist = true;
            } else if (hasNext && !o.keepTtl && !o.persist && isExpiry(option)
                    && (o.unit == null || Arguments.is(option, o.unit))) {
                o.unit = Arguments.lowercase(option);
                o.amount = args[++i];
            } else {
                throw CommandError.syntax();
            }
        }
        return o;
    }

    private static boolean isExpiry(byte[] option) {
        return Arguments.is(option, "ex") || Arguments.is(option, "px") || Arguments.is(option, "exat")
                || Arguments.is(option, "pxat");
    }

    SetCondition condition() {
        return nx ? SetCondition.IF_ABSENT : xx ? SetCondition.IF_PRESENT : SetCondition.ALWAYS;
    }

    boolean returnOld() {
        return get;
    }

    /** The expiry asked for: none given is {@link ExpiryMode#GROUP_DEFAULT}. */
    ExpiryMode expiry() {
        if (keepTtl) {
            return ExpiryMode.KEEP;
        }
        if (persist) {
            return ExpiryMode.NONE;
        }
        if (unit == null) {
            return ExpiryMode.GROUP_DEFAULT;
        }
        return unit.endsWith("at") ? ExpiryMode.AT_MILLIS : ExpiryMode.AFTER_MILLIS;
    }

    /**
     * The expiry's milliseconds: relative for EX and PX, epoch milliseconds for EXAT and PXAT, 0 without one.
     *
     * @param nowMillis this node's clock, to refuse a relative time that would overflow, as Redis does
     * @throws CommandError for a number that is not an integer, not positive, or overflows
     */
    long milliseconds(long nowMillis, String command) {
        if (unit == null) {
            return 0;
        }
        long value = Arguments.integer(amount);
        long perUnit = unit.startsWith("e") ? 1000 : 1;
        if (unit.endsWith("at")) {
            if (value <= 0 || value > Long.MAX_VALUE / perUnit) {
                throw CommandError.invalidExpireTime(command);
            }
            return value * perUnit;
        }
        return relativeMillis(value, perUnit, nowMillis, command);
    }

    /**
     * {@code amount} units as positive milliseconds from now.
     *
     * @throws CommandError when not positive, or when now plus it would overflow
     */
    static long relativeMillis(long amount, long millisPerUnit, long nowMillis, String command) {
        if (amount <= 0 || amount > Long.MAX_VALUE / millisPerUnit) {
            throw CommandError.invalidExpireTime(command);
        }
        long millis = amount * millisPerUnit;
        if (millis > Long.MAX_VALUE - nowMillis) {
            throw CommandError.invalidExpireTime(command);
        }
        return millis;
    }
}
