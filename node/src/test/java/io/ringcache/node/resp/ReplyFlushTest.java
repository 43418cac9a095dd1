package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Limits;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's replies are written when its read ends and flushed by a task of its event loop, which runs once
 * every connection that was ready has been served: one flush (one send) per connection per loop iteration. The
 * test plays the event loop's part: one task of a real (local-transport) loop delivers several reads to the
 * server's pipeline, as one iteration delivers whatever was ready, and a client at the other end collects the
 * bytes sent. Every command here completes at once.
 */
class ReplyFlushTest {

    private CacheNode node;
    private DefaultEventLoopGroup loop;
    private Channel server;
    private Channel client;
    private final AtomicInteger flushes = new AtomicInteger();
    private final StringBuffer received = new StringBuffer();

    @BeforeEach
    void start() throws Exception {
        node = RespTestNodes.start(Map.of());
        ServerContext context = new ServerContext(node.groups().get("default"), Limits.DEFAULTS,
                RespSettings.defaults("127.0.0.1", 0), CommandTable.standard(), TimeSource.SYSTEM, "local");
        loop = new DefaultEventLoopGroup(1);
        LocalAddress address = new LocalAddress(ReplyFlushTest.class);
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ClientSession session = new ClientSession(context.newClientId(), context);
                        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                            // Counts the flushes that send something. The pipeline's ChunkedWriteHandler also
                            // flushes when the connection turns writable again, with nothing to send unless a
                            // reply stream waits: such a flush costs no send (Netty returns at once).
                            @Override
                            public void flush(ChannelHandlerContext ctx) {
                                if (ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes() > 0) {
                                    flushes.incrementAndGet();
                                }
                                ctx.flush();
                            }
                        });
                        RespServer.installHandlers(channel.pipeline(), session, RespLimits.of(Limits.DEFAULTS),
                                new ReplyEncoder());
                        accepted.complete(channel);
                    }
                })
                .bind(address).sync();
        client = new Bootstrap().group(loop).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        ByteBuf bytes = (ByteBuf) message;
                        received.append(bytes.toString(US_ASCII));
                        bytes.release();
                    }
                })
                .connect(address).sync().channel();
        server = accepted.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        client.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        node.close();
    }

    /** Delivers each array of commands as one read of the server's connection, all in one task of its loop. */
    private int readInOneIteration(byte[]... reads) throws Exception {
        return server.eventLoop().submit(() -> {
            for (byte[] read : reads) {
                server.pipeline().fireChannelRead(Unpooled.wrappedBuffer(read)).fireChannelReadComplete();
            }
            return flushes.get();
        }).get(10, TimeUnit.SECONDS);
    }

    private void awaitReceived(String expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.length() >= expected.length());
        assertThat(received.toString()).isEqualTo(expected);
        received.setLength(0);
    }

    @Test
    void readsServedInOneIterationAreSentWithOneFlushAfterItInRequestOrder() throws Exception {
        int flushesDuringReads = readInOneIteration(command("SET", "k", "1"), command("INCR", "k"), command("GET", "k"));

        assertThat(flushesDuringReads).isZero();
        awaitReceived("+OK\r\n:2\r\n$1\r\n2\r\n");
        assertThat(flushes.get()).isEqualTo(1);

        readInOneIteration(command("PING"));
        awaitReceived("+PONG\r\n");
        assertThat(flushes.get()).isEqualTo(2);
    }

    @Test
    void aBatchPastTheEarlyWriteSizeIsSentAtOnceAndTheRestAfterTheIteration() throws Exception {
        String big = "x".repeat(CommandHandler.EARLY_WRITE_BYTES);
        readInOneIteration(command("SET", "big", big));
        awaitReceived("+OK\r\n");
        int before = flushes.get();

        int flushesDuringReads = readInOneIteration(command("GET", "big"), command("PING"));

        assertThat(flushesDuringReads).isEqualTo(before + 1);
        awaitReceived("$" + big.length() + "\r\n" + big + "\r\n+PONG\r\n");
        assertThat(flushes.get()).isEqualTo(before + 2);
    }
}
