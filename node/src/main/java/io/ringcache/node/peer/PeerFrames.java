package io.ringcache.node.peer;

import com.google.protobuf.MessageLite;
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
    /**
     * The bytes written to a connection and not yet taken by the kernel above which it stops taking more (until
     * they drain below the low mark): a peer that stops reading could otherwise make this node queue for it without
     * bound. Far above what a peer that keeps up leaves here: a flush hands the kernel as much as its socket buffer
     * takes (megabytes once the connection is warm), and only the frames written since the last flush wait here.
     */
    static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(8 << 20, 16 << 20);

    private PeerFrames() {
    }

    static void install(ChannelPipeline pipeline, int maxFrameBytes, MessageLite inbound) {
        pipeline.channel().config().setWriteBufferWaterMark(WRITE_BUFFER);
        pipeline.addLast("flush", new FlushConsolidationHandler(MAX_FRAMES_PER_FLUSH, true));
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES));
        pipeline.addLast("decode", new ProtobufDecoder(inbound));
        pipeline.addLast("encode", ENCODER);
    }
}
