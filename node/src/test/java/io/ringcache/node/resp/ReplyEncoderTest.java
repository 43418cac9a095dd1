package io.ringcache.node.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies as bytes on the wire, through the encoding end of a RESP connection's pipeline. A reply far larger than a
 * buffer (an MGET of many large values) costs memory for its values, which it holds anyway, not a second time for
 * its encoding.
 */
class ReplyEncoderTest {

    private static final int VALUE_BYTES = 256 * 1024;
    /** 64 values of 256 KiB: a 16 MiB reply. */
    private static final int VALUES = 64;
    /** Far below the reply's size, far above a buffer's. */
    private static final int ONE_MIB = 1 << 20;

    private final RecordingAllocator allocator = new RecordingAllocator();
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel(new ChunkedWriteHandler(), new ReplyEncoder());
        channel.config().setAllocator(allocator);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aHugeReplyIsWrittenInBuffersFarSmallerThanItself() {
        channel.writeAndFlush(batchOf(hugeMget(), Reply.OK));
        channel.runPendingTasks();

        List<ByteBuf> written = drainOutbound();
        assertThat(concatenate(written)).isEqualTo(expectedHugeMgetThenOk());
        assertThat(allocator.largestRequested()).as("the largest buffer asked for").isLessThan(ONE_MIB);
        assertThat(written).allSatisfy(b -> assertThat(b.capacity()).isLessThan(ONE_MIB));
        written.forEach(ByteBuf::release);
    }

    /** Bytes are encoded as the connection can send them: a client that does not read holds no encoded reply. */
    @Test
    void aHugeReplyIsEncodedOnlyAsTheConnectionTakesIt() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.writeAndFlush(batchOf(hugeMget(), Reply.OK));
        channel.runPendingTasks();
        assertThat(allocator.totalRequested()).as("bytes encoded while the connection took none").isLessThan(ONE_MIB);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        List<ByteBuf> written = drainOutbound();
        assertThat(concatenate(written)).isEqualTo(expectedHugeMgetThenOk());
        written.forEach(ByteBuf::release);
    }

    /** Every kind of reply, nested, with values small and large, in both protocol versions. */
    @Test
    void aHugeReplyIsByteForByteWhatOneBufferWouldHold() {
        for (boolean resp3 : new boolean[] {false, true}) {
            byte[] big = new byte[3 * VALUE_BYTES + 7];
            Arrays.fill(big, (byte) 'b');
            Reply mixed = new Reply.Array(List.of(
                    new Reply.Bulk(big), Reply.integer(-42), Reply.Null.INSTANCE, Reply.OK, Reply.error("ERR no"),
                    new Reply.Map(List.of(Reply.bulk("k"), new Reply.Bulk(big), Reply.bulk("empty"),
                            new Reply.Array(List.of()))),
                    new Reply.Set(List.of(Reply.bulk("s"), new Reply.Array(List.of(new Reply.Bulk(big))))),
                    new Reply.Verbatim("txt", "some text"), hugeMget(), new Reply.Bulk(new byte[0])));
            ReplyBatch batch = new ReplyBatch();
            batch.add(mixed, resp3);
            batch.add(Reply.PONG, resp3);
            channel.writeAndFlush(batch);
            channel.runPendingTasks();

            ByteBuf expected = Unpooled.buffer();
            ReplyEncoder.write(mixed, resp3, expected);
            ReplyEncoder.write(Reply.PONG, resp3, expected);
            List<ByteBuf> written = drainOutbound();
            assertThat(concatenate(written)).as("RESP%d", resp3 ? 3 : 2).isEqualTo(bytesOf(expected));
            written.forEach(ByteBuf::release);
            expected.release();
        }
    }

    @Test
    void smallRepliesAreWrittenInOneBuffer() {
        channel.writeAndFlush(batchOf(Reply.OK, Reply.bulk("v"), Reply.integer(7)));
        channel.runPendingTasks();
        List<ByteBuf> written = drainOutbound();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).toString(US_ASCII)).isEqualTo("+OK\r\n$1\r\nv\r\n:7\r\n");
        written.forEach(ByteBuf::release);
    }

    private static ReplyBatch batchOf(Reply... replies) {
        ReplyBatch batch = new ReplyBatch();
        for (Reply reply : replies) {
            batch.add(reply, false);
        }
        return batch;
    }

    /** {@value #VALUES} values of {@value #VALUE_BYTES} bytes, value i made of the byte i. */
    private static Reply hugeMget() {
        List<Reply> values = new ArrayList<>();
        for (int i = 0; i < VALUES; i++) {
            values.add(new Reply.Bulk(valueNumber(i)));
        }
        return new Reply.Array(values);
    }

    private static byte[] valueNumber(int i) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) i);
        return value;
    }

    private static byte[] expectedHugeMgetThenOk() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("*" + VALUES + "\r\n").getBytes(US_ASCII));
        for (int i = 0; i < VALUES; i++) {
            expected.writeBytes(("$" + VALUE_BYTES + "\r\n").getBytes(US_ASCII));
            expected.writeBytes(valueNumber(i));
            expected.writeBytes("\r\n".getBytes(US_ASCII));
        }
        expected.writeBytes("+OK\r\n".getBytes(US_ASCII));
        return expected.toByteArray();
    }

    private List<ByteBuf> drainOutbound() {
        List<ByteBuf> written = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            written.add(buf);
        }
        return written;
    }

    private static byte[] concatenate(List<ByteBuf> buffers) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf b : buffers) {
            all.writeBytes(bytesOf(b));
        }
        return all.toByteArray();
    }

    private static byte[] bytesOf(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), bytes);
        return bytes;
    }

    /** Hands out unpooled buffers and remembers the capacity each was asked for. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {

        private final List<Integer> requested = new ArrayList<>();

        RecordingAllocator() {
            super(true);
        }

        int largestRequested() {
            return requested.stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        long totalRequested() {
            return requested.stream().mapToLong(Integer::longValue).sum();
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            requested.add(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            requested.add(initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
