package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The frames both ends write, and how many write syscalls (flushes) a batch of them costs. */
class PeerFramesTest {

    private static final int MAX_FRAME = 64 * 1024;

    private static PeerRequest get(String key) {
        return PeerRequest.newBuilder().setFrom("a:1").setHops(StampedMessage.FIRST_HOP)
                .setGet(Get.newBuilder().setGroup("g").setKey(key)).build();
    }

    /** Counts the flushes that reach the socket, i.e. the write syscalls a real channel would make. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private static EmbeddedChannel framed(PeerRequest inbound, FlushCounter counter) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addFirst("count", counter);
        PeerFrames.install(channel.pipeline(), MAX_FRAME, inbound);
        return channel;
    }

    /** Reads one frame: checks its length prefix and parses the message after it. */
    private static <T> T parseFrame(ByteBuf frame, com.google.protobuf.Parser<T> parser) throws Exception {
        try {
            int length = frame.readInt();
            assertThat(length).as("length prefix").isEqualTo(frame.readableBytes());
            byte[] body = new byte[length];
            frame.readBytes(body);
            return parser.parseFrom(body);
        } finally {
            frame.release();
        }
    }

    private static ByteBuf frameOf(PeerRequest request) {
        byte[] body = request.toByteArray();
        return Unpooled.buffer().writeInt(body.length).writeBytes(body);
    }

    @Test
    void stampedRequestReadsAsTheRequestWithItsIdAndDeadline() throws Exception {
        EmbeddedChannel channel = framed(PeerRequest.getDefaultInstance(), new FlushCounter());
        // The caller's own id and deadline, if any, are overridden by the stamp.
        PeerRequest request = get("k").toBuilder().setId(7).setTimeoutMillis(9).setHops(5).build();
        channel.writeAndFlush(StampedMessage.request(request, 42, 300));
        PeerRequest read = parseFrame(channel.readOutbound(), PeerRequest.parser());
        assertThat(read).isEqualTo(request.toBuilder().setId(42).setTimeoutMillis(300).setHops(1).build());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void stampedResponseReadsAsTheResponseWithItsId() throws Exception {
        EmbeddedChannel channel = framed(PeerRequest.getDefaultInstance(), new FlushCounter());
        PeerResponse response = PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8("v".repeat(1000))).setHot(true)).build();
        channel.writeAndFlush(StampedMessage.response(response, Long.MAX_VALUE));
        PeerResponse read = parseFrame(channel.readOutbound(), PeerResponse.parser());
        assertThat(read).isEqualTo(response.toBuilder().setId(Long.MAX_VALUE).build());
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestNotOnItsFirstHopClosesTheConnection() throws Exception {
        EmbeddedChannel channel = framed(PeerRequest.getDefaultInstance(), new FlushCounter());
        PeerRequestHandler handler = new PeerRequestHandler((request, deadline) -> CompletableFuture.completedFuture(
                PeerResponse.getDefaultInstance()));
        channel.pipeline().addLast(handler);
        channel.writeInbound(frameOf(get("k").toBuilder().setId(1).build()));
        assertThat(parseFrame(channel.readOutbound(), PeerResponse.parser()).getId()).isEqualTo(1);

        channel.writeInbound(frameOf(get("k").toBuilder().setId(2).setHops(2).build()));
        assertThat((Object) channel.readOutbound()).as("no answer to a forwarded request").isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.connectionsClosedForBadInput()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void responsesToOneReadBatchOfPipelinedRequestsShareOneFlush() throws Exception {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel channel = framed(PeerRequest.getDefaultInstance(), counter);
        channel.pipeline().addLast(new PeerRequestHandler((request, deadline) -> CompletableFuture.completedFuture(
                PeerResponse.newBuilder().setValue(Value.newBuilder()
                        .setValue(ByteString.copyFromUtf8("value of " + request.getGet().getKey()))).build())));
        ByteBuf batch = Unpooled.buffer();
        for (int i = 1; i <= 3; i++) {
            batch.writeBytes(frameOf(get("k" + i).toBuilder().setId(i).build()));
        }
        channel.writeInbound(batch);   // one read, then readComplete: what one epoll wake-up delivers
        List<PeerResponse> responses = new ArrayList<>();
        for (ByteBuf frame; (frame = channel.readOutbound()) != null; ) {
            responses.add(parseFrame(frame, PeerResponse.parser()));
        }
        assertThat(responses).extracting(PeerResponse::getId).containsExactly(1L, 2L, 3L);
        assertThat(responses.get(2).getValue().getValue().toStringUtf8()).isEqualTo("value of k3");
        assertThat(counter.flushes).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void requestsSentInOneEventLoopIterationShareOneFlush() throws Exception {
        // A real event loop and socket: an embedded channel runs pending tasks on every writeAndFlush.
        EventLoopGroup loops = Transports.newEventLoops(1, "frames-test");
        PeerServer server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> CompletableFuture.completedFuture(
                PeerResponse.newBuilder().setValue(Value.newBuilder()
                        .setValue(ByteString.copyFromUtf8("value of " + request.getGet().getKey()))).build()), loops);
        try {
            FlushCounter counter = new FlushCounter();
            PeerConnection connection = new PeerConnection("peer:1", new AtomicLong(), new PeerCallCounts(), 1_000,
                    MAX_FRAME);
            Channel channel = new Bootstrap().group(loops).channel(Transports.channel(loops))
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("count", counter);
                            PeerFrames.install(ch.pipeline(), MAX_FRAME, PeerResponse.getDefaultInstance());
                            ch.pipeline().addLast(connection);
                        }
                    }).connect("127.0.0.1", server.port()).sync().channel();
            connection.attach(channel);
            // Three HTTP requests handled in one iteration of the loop each forward a call.
            List<CompletableFuture<PeerResponse>> calls = channel.eventLoop().submit(() -> {
                List<CompletableFuture<PeerResponse>> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sent.add(connection.call(get("k" + i), 5_000));
                }
                return sent;
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                assertThat(calls.get(i).get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8())
                        .isEqualTo("value of k" + i);
            }
            assertThat(channel.eventLoop().submit(() -> counter.flushes).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            channel.close().sync();
        } finally {
            server.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
