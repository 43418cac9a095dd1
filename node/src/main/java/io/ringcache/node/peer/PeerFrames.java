package io.ringcache.node.peer;

import com.google.protobuf.MessageLite;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The framing both ends share: a 4-byte big-endian length, then one protobuf message. A frame longer than
 * the limit fails the decoder, which closes that connection only.
 */
final class PeerFrames {

    private static final int LENGTH_BYTES = 4;

    private PeerFrames() {
    }

    static void install(ChannelPipeline pipeline, int maxFrameBytes, MessageLite inbound) {
        pipeline.addLast("flush", new FlushConsolidationHandler(256, true));
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES));
        pipeline.addLast("decode", new ProtobufDecoder(inbound));
        pipeline.addLast("length", new LengthFieldPrepender(LENGTH_BYTES));
        pipeline.addLast("encode", new ProtobufEncoder());
    }
}
