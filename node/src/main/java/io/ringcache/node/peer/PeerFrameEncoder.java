package io.ringcache.node.peer;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.ByteBuffer;

/**
 * Writes a {@link StampedMessage} as one frame (a 4-byte big-endian length, then the message) into one pooled
 * I/O buffer of exactly its size. Netty's {@code ProtobufEncoder} and {@code LengthFieldPrepender} would make a
 * heap array for the message, a second buffer for the length, and the epoll transport would copy the array
 * into a direct buffer again before writing: three allocations and two copies per frame instead of one each.
 */
@ChannelHandler.Sharable
final class PeerFrameEncoder extends MessageToByteEncoder<StampedMessage> {

    static final int LENGTH_BYTES = 4;

    PeerFrameEncoder() {
        super(StampedMessage.class, true);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, StampedMessage msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(LENGTH_BYTES + msg.serializedSize());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, StampedMessage msg, ByteBuf out) throws Exception {
        int size = msg.serializedSize();
        out.ensureWritable(LENGTH_BYTES + size);
        out.writeInt(size);
        ByteBuffer body = out.internalNioBuffer(out.writerIndex(), size);
        CodedOutputStream coded = CodedOutputStream.newInstance(body);
        msg.writeTo(coded);
        coded.flush();
        // A size that disagrees with what was written would corrupt every later frame on the connection.
        coded.checkNoSpaceLeft();
        out.writerIndex(out.writerIndex() + size);
    }
}
