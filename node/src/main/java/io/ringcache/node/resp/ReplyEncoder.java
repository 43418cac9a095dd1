package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes a {@link ReplyBatch} into one buffer, each reply as RESP2 or RESP3. Stateless, so shared by all connections. */
@ChannelHandler.Sharable
final class ReplyEncoder extends MessageToByteEncoder<ReplyBatch> {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_RESP3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Room for a type byte, a 20-digit length and CR LF. */
    private static final int HEADER_BYTES = 24;

    ReplyEncoder() {
        super(ReplyBatch.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ReplyBatch batch, boolean preferDirect) {
        int estimate = (int) Math.min(Integer.MAX_VALUE - 8, batch.estimatedBytes());
        return preferDirect ? ctx.alloc().ioBuffer(estimate) : ctx.alloc().heapBuffer(estimate);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ReplyBatch batch, ByteBuf out) {
        for (int i = 0; i < batch.size(); i++) {
            write(batch.reply(i), batch.resp3(i), out);
        }
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
        } else if (reply instanceof Reply.Array array) {
            writeAggregate('*', array.items(), array.items().size(), resp3, out);
        } else if (reply instanceof Reply.Map map) {
            List<Reply> items = map.keysAndValues();
            if (resp3) {
                writeAggregate('%', items, items.size() / 2, true, out);
            } else {
                writeAggregate('*', items, items.size(), false, out);
            }
        } else if (reply instanceof Reply.Set set) {
            writeAggregate(resp3 ? '~' : '*', set.items(), set.items().size(), resp3, out);
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
            throw new IllegalArgumentException("no encoding for " + reply);
        }
    }

    /** About the encoded size of {@code reply}; exact for bulk strings, which dominate. */
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

    private static void writeAggregate(char type, List<Reply> items, int count, boolean resp3, ByteBuf out) {
        out.writeByte(type);
        writeDecimal(count, out);
        out.writeBytes(CRLF);
        for (Reply item : items) {
            write(item, resp3, out);
        }
    }

    private static void writeBulk(byte[] bytes, ByteBuf out) {
        out.writeByte('$');
        writeDecimal(bytes.length, out);
        out.writeBytes(CRLF);
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
