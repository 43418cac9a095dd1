package io.ringcache.node.peer;

import com.google.protobuf.MessageLite;
import io.netty.channel.ChannelPipeline;
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
 */
final class PeerFrames {

    private static final int LENGTH_BYTES = PeerFrameEncoder.LENGTH_BYTES;
    /** Frames written before a flush is forced even inside one batch, so a long batch still streams out. */
    private static final int MAX_FRAMES_PER_FLUSH = 256;
    private static final PeerFrameEncoder ENCODER = new PeerFrameEncoder();

    private PeerFrames() {
    }

    static void install(ChannelPipeline pipeline, int maxFrameBytes, MessageLite inbound) {
        pipeline.addLast("flush", new FlushConsolidationHandler(MAX_FRAMES_PER_FLUSH, true));
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES));
        pipeline.addLast("decode", new ProtobufDecoder(inbound));
        pipeline.addLast("encode", ENCODER);
    }
}
