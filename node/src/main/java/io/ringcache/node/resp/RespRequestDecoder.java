package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Bytes to {@link RespRequest}s: multibulk requests ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}, what clients send)
 * and inline requests ({@code GET k\r\n}, what people type), with Redis's error messages. A violation (a bad
 * length, a wrong type byte, a request over {@link RespLimits}) is handed on as
 * {@link RespRequest.Violation} after the requests before it; everything after it is discarded, since the
 * connection is closed once it is answered.
 *
 * <p>Arguments are copied out of the input as soon as each one is complete, so a large request never holds
 * more than its arguments plus one read of input. One request is decoded per call, so the handler has acted
 * on it (an {@code AUTH}, say) before the next one is checked against the unauthenticated limits.
 */
final class RespRequestDecoder extends ByteToMessageDecoder {

    private static final long INVALID = Long.MIN_VALUE;
    private static final int INITIAL_ARGUMENTS = 8;

    private final RespLimits limits;
    /** Whether the client may send requests beyond the unauthenticated limits. */
    private final BooleanSupplier trusted;

    /** The arguments of the multibulk request being read; {@code null} between requests. */
    private byte[][] arguments;
    private int argumentCount;
    private int argumentsRead;
    /** The length of the bulk string being read, or -1 while its {@code $} line is awaited. */
    private int bulkLength = -1;
    private long requestBytes;
    private boolean failed;

    RespRequestDecoder(RespLimits limits, BooleanSupplier trusted) {
        this.limits = limits;
        this.trusted = trusted;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            int before = out.size();
            boolean progressed = arguments == null
                    ? (in.getByte(in.readerIndex()) == '*' ? readMultibulkHeader(in, out) : readInline(in, out))
                    : readArgument(in, out);
            if (!progressed || out.size() > before) {
                break;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Reads {@code *N\r\n}; returns false when the line is not complete yet. */
    private boolean readMultibulkHeader(ByteBuf in, List<Object> out) {
        int lineEnd = lineEnd(in);
        if (lineEnd < 0) {
            return tooLongWithoutEnd(in, out, "Protocol error: too big mbulk count string");
        }
        long count = parseNumber(in, in.readerIndex() + 1, lineEnd);
        in.readerIndex(lineEnd + 1);
        if (count == INVALID || count > limits.maxArguments()) {
            return violation(out, "Protocol error: invalid multibulk length");
        }
        if (count > RespLimits.UNAUTHENTICATED_MAX_ARGUMENTS && !trusted.getAsBoolean()) {
            return violation(out, "Protocol error: unauthenticated multibulk length");
        }
        if (count <= 0) {
            // Redis ignores empty and null multibulk requests without a reply.
            return true;
        }
        argumentCount = (int) count;
        arguments = new byte[Math.min(argumentCount, INITIAL_ARGUMENTS)][];
        argumentsRead = 0;
        requestBytes = 0;
        bulkLength = -1;
        return true;
    }

    /** Reads one {@code $N\r\n} line or one bulk string; returns false when it is not complete yet. */
    private boolean readArgument(ByteBuf in, List<Object> out) {
        if (bulkLength < 0) {
            byte type = in.getByte(in.readerIndex());
            if (type != '$') {
                return violation(out, "Protocol error: expected '$', got '" + printable(type) + "'");
            }
            int lineEnd = lineEnd(in);
            if (lineEnd < 0) {
                return tooLongWithoutEnd(in, out, "Protocol error: too big bulk count string");
            }
            long length = parseNumber(in, in.readerIndex() + 1, lineEnd);
            in.readerIndex(lineEnd + 1);
            if (length == INVALID || length < 0) {
                return violation(out, "Protocol error: invalid bulk length");
            }
            if (length > RespLimits.UNAUTHENTICATED_MAX_BULK_BYTES && !trusted.getAsBoolean()) {
                return violation(out, "Protocol error: unauthenticated bulk length");
            }
            if (length > limits.maxBulkBytes()) {
                return violation(out, "Protocol error: invalid bulk length (" + length + " bytes; the limit is "
                        + limits.maxBulkBytes() + ", ringcache.max-value-bytes)");
            }
            if (requestBytes + length > limits.maxRequestBytes()) {
                return violation(out, "Protocol error: the request is larger than " + limits.maxRequestBytes()
                        + " bytes");
            }
            bulkLength = (int) length;
            requestBytes += length;
            return true;
        }
        if (in.readableBytes() < bulkLength + 2) {
            return false;
        }
        int end = in.readerIndex() + bulkLength;
        if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            return violation(out, "Protocol error: expected '\\r\\n' after a bulk string of " + bulkLength + " bytes");
        }
        byte[] argument = new byte[bulkLength];
        in.readBytes(argument);
        in.skipBytes(2);
        bulkLength = -1;
        if (argumentsRead == arguments.length) {
            arguments = Arrays.copyOf(arguments, Math.min(argumentCount, arguments.length * 2));
        }
        arguments[argumentsRead++] = argument;
        if (argumentsRead == argumentCount) {
            out.add(new RespRequest.Command(arguments));
            arguments = null;
        }
        return true;
    }

    /** Reads a line of blank-separated, optionally quoted arguments; returns false when it is not complete yet. */
    private boolean readInline(ByteBuf in, List<Object> out) {
        int lineEnd = lineEnd(in);
        if (lineEnd < 0) {
            return tooLongWithoutEnd(in, out, "Protocol error: too big inline request");
        }
        int start = in.readerIndex();
        int end = lineEnd > start && in.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lineEnd + 1);
        List<byte[]> split;
        try {
            split = InlineArguments.split(line);
        } catch (IllegalArgumentException e) {
            return violation(out, "Protocol error: " + e.getMessage());
        }
        if (!split.isEmpty()) {
            out.add(new RespRequest.Command(split.toArray(byte[][]::new)));
        }
        return true;
    }

    /** The index of the next LF within the line limit, or -1. */
    private static int lineEnd(ByteBuf in) {
        int from = in.readerIndex();
        int to = Math.min(in.writerIndex(), from + RespLimits.MAX_LINE_BYTES + 2);
        return in.indexOf(from, to, (byte) '\n');
    }

    /** A line without an end yet: wait for more, unless it is already over the line limit. */
    private boolean tooLongWithoutEnd(ByteBuf in, List<Object> out, String message) {
        if (in.readableBytes() > RespLimits.MAX_LINE_BYTES) {
            return violation(out, message);
        }
        return false;
    }

    private boolean violation(List<Object> out, String message) {
        failed = true;
        arguments = null;
        out.add(new RespRequest.Violation(message));
        return true;
    }

    /**
     * A signed decimal between {@code from} and the line's CR LF, Redis's strict form, or {@link #INVALID}. A
     * {@code *} or {@code $} line must end in CR LF: Redis reads up to the CR, so a bare LF makes the number invalid
     * (unlike an inline request, where a bare LF ends the line).
     */
    private static long parseNumber(ByteBuf in, int from, int lineEnd) {
        if (lineEnd <= from || in.getByte(lineEnd - 1) != '\r') {
            return INVALID;
        }
        int to = lineEnd - 1;
        int length = to - from;
        if (length <= 0 || length > 20) {
            return INVALID;
        }
        boolean negative = in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            return INVALID;
        }
        if (in.getByte(i) == '0') {
            return length == 1 ? 0 : INVALID;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
