package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link ReplyBatch}, each reply as RESP2 or RESP3: into one buffer of about its size, or, past
 * {@link #STREAMED_BATCH_BYTES}, as a {@link ReplyStream} that the {@link ChunkedWriteHandler} closer to the socket
 * (which the pipeline must have) encodes a chunk at a time as the connection takes it. Why: an MGET of many large
 * values was encoded into one buffer of its whole size, a second copy of every value held until the client had read
 * it all, and an allocation too large for Netty's pools. Stateless, so shared by all connections.
 */
@ChannelHandler.Sharable
final class ReplyEncoder extends MessageToMessageEncoder<ReplyBatch> {

    /**
     * The largest batch encoded into one buffer: a GET of the largest value by default (1 MiB) still is, in one
     * allocation that Netty's pools serve; anything larger is streamed.
     */
    static final long STREAMED_BATCH_BYTES = 1 << 20;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_RESP3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Room for a type byte, a 20-digit length and CR LF. */
    static final int HEADER_BYTES = 24;

    ReplyEncoder() {
        super(ReplyBatch.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ReplyBatch batch, List<Object> out) {
        if (batch.estimatedBytes() > STREAMED_BATCH_BYTES) {
            out.add(new ReplyStream(batch));
            return;
        }
        // The estimate is never short of the encoding, so the buffer never has to grow.
        ByteBuf buf = ctx.alloc().ioBuffer((int) batch.estimatedBytes());
        try {
            for (int i = 0; i < batch.size(); i++) {
                write(batch.reply(i), batch.resp3(i), buf);
            }
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        out.add(buf);
    }

    /** Writes {@code reply} in RESP3 when {@code resp3}, else in RESP2. */
    static void write(Reply reply, boolean resp3, ByteBuf out) {
        if (reply instanceof Reply.Bulk bulk) {
            writeBulk(bulk.bytes(), out);
        } else if (reply == Reply.OK) {
            out.writeBytes(OK);
        } else if (reply instanceof Reply.Simple simple) {
            out.writeByte('+');
            ByteBufUtil.writeUtf8(out, simple.text());
            out.writeBytes(CRLF);
        } else if (reply instanceof Reply.Int integer) {
            out.writeByte(':');
            writeDecimal(integer.value(), out);
            out.writeBytes(CRLF);
        } else if (reply instanceof Reply.Null) {
            out.writeBytes(resp3 ? NULL_RESP3 : NULL_BULK);
        } else if (reply instanceof Reply.Error error) {
            out.writeByte('-');
            out.writeBytes(error.line());
            out.writeBytes(CRLF);
        } else if (reply instanceof Reply.Verbatim verbatim) {
            byte[] text = verbatim.text().getBytes(StandardCharsets.UTF_8);
            if (resp3) {
                out.writeByte('=');
                writeDecimal(text.length + 4, out);
                out.writeBytes(CRLF);
                out.writeCharSequence(verbatim.format(), StandardCharsets.US_ASCII);
                out.writeByte(':');
                out.writeBytes(text);
                out.writeBytes(CRLF);
            } else {
                writeBulk(text, out);
            }
        } else {
            List<Reply> items = writeAggregateHeader(reply, resp3, out);
            if (items == null) {
                throw new IllegalArgumentException("no encoding for " + reply);
            }
            for (Reply item : items) {
                write(item, resp3, out);
            }
        }
    }

    /**
     * Writes the header of an aggregate reply (array, map or set) and returns its items, to be written after it in
     * this order; for any other reply writes nothing and returns {@code null}.
     */
    static List<Reply> writeAggregateHeader(Reply reply, boolean resp3, ByteBuf out) {
        if (reply instanceof Reply.Array array) {
            writeHeader('*', array.items().size(), out);
            return array.items();
        }
        if (reply instanceof Reply.Map map) {
            List<Reply> items = map.keysAndValues();
            // RESP3 counts a map's pairs; RESP2 has no map and sends a flat array of keys and values.
            writeHeader(resp3 ? '%' : '*', resp3 ? items.size() / 2 : items.size(), out);
            return items;
        }
        if (reply instanceof Reply.Set set) {
            writeHeader(resp3 ? '~' : '*', set.items().size(), out);
            return set.items();
        }
        return null;
    }

    /**
     * About the encoded size of {@code reply}, and never less than it: exact but for a little header room for bulk
     * strings, which dominate.
     */
    static long estimateBytes(Reply reply) {
        if (reply instanceof Reply.Bulk bulk) {
            return bulk.bytes().length + HEADER_BYTES;
        }
        if (reply instanceof Reply.Array array) {
            return HEADER_BYTES + sum(array.items());
        }
        if (reply instanceof Reply.Map map) {
            return HEADER_BYTES + sum(map.keysAndValues());
        }
        if (reply instanceof Reply.Set set) {
            return HEADER_BYTES + sum(set.items());
        }
        if (reply instanceof Reply.Verbatim verbatim) {
            return HEADER_BYTES + 4 + verbatim.text().length() * 3L;
        }
        if (reply instanceof Reply.Error error) {
            return HEADER_BYTES + error.line().length;
        }
        if (reply instanceof Reply.Simple simple) {
            return HEADER_BYTES + simple.text().length() * 3L;
        }
        return HEADER_BYTES;
    }

    private static long sum(List<Reply> items) {
        long total = 0;
        for (Reply item : items) {
            total += estimateBytes(item);
        }
        return total;
    }

    /** A type byte, a count or length in decimal and CR LF: the start of an aggregate or of a bulk string. */
    static void writeHeader(char type, long count, ByteBuf out) {
        out.writeByte(type);
        writeDecimal(count, out);
        out.writeBytes(CRLF);
    }

    private static void writeBulk(byte[] bytes, ByteBuf out) {
        writeHeader('$', bytes.length, out);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    /** Writes {@code value} in decimal without building a string. */
    static void writeDecimal(long value, ByteBuf out) {
        if (value >= 0 && value < 10) {
            out.writeByte('0' + (int) value);
            return;
        }
        if (value == Long.MIN_VALUE) {
            out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, '0' + (int) (value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }
}
