package io.ringcache.node.peer;

import com.google.protobuf.MessageLite;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The framing both ends share: a 4-byte big-endian length, then one protobuf message. A frame longer than
 * the limit fails the decoder, which closes that connection only. Both ends write {@link StampedMessage}s.
 *
 * <p>Flushes are consolidated: one write syscall carries every frame written in one read batch (responses to
 * pipelined requests) or in one event-loop iteration (requests forwarded for many HTTP connections), and a
 * lone frame is flushed right after the current batch of I/O, so batching adds no wait.
 *
 * <p>Both ends bound what a connection queues for a peer that does not read ({@link #WRITE_BUFFER}): the calling end
 * fails new calls, the serving end reads no more requests.
 */
final class PeerFrames {

    private static final int LENGTH_BYTES = PeerFrameEncoder.LENGTH_BYTES;
    /** Frames written before a flush is forced even inside one batch, so a long batch still streams out. */
    private static final int MAX_FRAMES_PER_FLUSH = 256;
    private static final PeerFrameEncoder ENCODER = new PeerFrameEncoder();
    private static final String FLUSH = "flush";
    /**
     * The bytes written to a connection and not yet taken by the kernel above which it takes no more: the serving end
     * reads again once they drain below the low mark, the calling end sends again once they are below the high
     * mark. A peer that stops reading could otherwise make this node queue for it without bound. Far above what a
     * peer that keeps up leaves here: a flush hands the kernel as much as its socket buffer takes (megabytes once the
     * connection is warm), and only the frames written since the last flush wait here.
     */
    static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(8 << 20, 16 << 20);

    private PeerFrames() {
    }

    static void install(ChannelPipeline pipeline, int maxFrameBytes, MessageLite inbound) {
        pipeline.channel().config().setWriteBufferWaterMark(WRITE_BUFFER);
        pipeline.addLast(FLUSH, new FlushConsolidationHandler(MAX_FRAMES_PER_FLUSH, true));
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES));
        pipeline.addLast("decode", new ProtobufDecoder(inbound));
        pipeline.addLast("encode", ENCODER);
    }

    /**
     * Hands the kernel every frame written to the open {@code channel} so far, at once: a flush through the pipeline
     * only schedules one while the consolidation holds frames back (to the end of the read batch or the event-loop
     * iteration), and it flushes by itself only as the channel turns unwritable, not for frames written after.
     */
    static void flushNow(Channel channel) {
        channel.pipeline().context(FLUSH).flush();
    }

    /**
     * The bytes waiting to be written to {@code channel} above {@link #WRITE_BUFFER}'s high mark; 0 or less when
     * they are not above it. Not {@link Channel#isWritable}: once over the high mark that is true again only below
     * the low mark, so a peer that reads (a busy one, or one reading again) would be refused calls until half of what
     * waited for it had drained.
     */
    static long bytesAboveHighMark(Channel channel) {
        // While the channel is not writable this is what waits less the low mark; while it is, 0.
        return channel.bytesBeforeWritable() - (WRITE_BUFFER.high() - WRITE_BUFFER.low());
    }
}
