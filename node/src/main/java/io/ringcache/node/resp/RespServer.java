package io.ringcache.node.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.Limits;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.store.TimeSource;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The Redis protocol server of one node: listens on {@code ringcache.resp.host:port} and serves every command on
 * one group. It owns its event loops (by default one per core but one, see {@link RespSettings#automaticCount};
 * {@code ringcache.resp.event-loops} sets another count), separate from the peer protocol's, so a flood of Redis
 * clients cannot starve traffic between nodes.
 */
public final class RespServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RespServer.class);

    /** Below this, a stalled client's connection takes commands again; above the high mark, it is paused. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /**
     * Redis's {@code tcp-keepalive} default: an idle connection is probed after 300 s, then every 100 s, and closed
     * after 3 unanswered probes, so a client whose machine vanished without a reset does not hold its connection
     * (and a reply waiting for it) for ever.
     */
    static final int KEEPALIVE_IDLE_SECONDS = 300;

    private final EventLoopGroup eventLoops;
    private final Channel listener;
    private final ServerContext server;

    private RespServer(EventLoopGroup eventLoops, Channel listener, ServerContext server) {
        this.eventLoops = eventLoops;
        this.listener = listener;
        this.server = server;
    }

    /**
     * Binds {@code settings.host():settings.port()} (port 0 picks a free one) and starts serving {@code group}.
     *
     * @param limits the node's key and value limits, which also bound request sizes ({@link RespLimits})
     * @param time the clock TTLs are reported on
     * @throws IllegalStateException when the address cannot be bound; nothing is left running
     */
    public static RespServer start(RespSettings settings, Group group, Limits limits, TimeSource time) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(group, "group");
        EventLoopGroup loops = Transports.newEventLoops(settings.eventLoopCount(), "ringcache-resp");
        boolean epoll = loops instanceof EpollEventLoopGroup;
        ServerContext server = new ServerContext(group, limits, settings, CommandTable.standard(), time,
                epoll ? "epoll" : "nio");
        RespLimits requestLimits = RespLimits.of(limits);
        ReplyEncoder encoder = new ReplyEncoder();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loops)
                    .channel(Transports.serverChannel(loops))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    // A client's end of input is an event, so its last replies are sent before the close
                    // (see CommandHandler), not dropped with the channel.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            Transports.keepAlive(bootstrap, loops, KEEPALIVE_IDLE_SECONDS);
            Channel listener = bootstrap
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            installHandlers(channel.pipeline(), new ClientSession(server.newClientId(), server),
                                    requestLimits, encoder);
                        }
                    })
                    .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            server.port(((InetSocketAddress) listener.localAddress()).getPort());
            LOG.infof("serving the Redis protocol on %s:%d for group '%s'%s", settings.host(), server.port(),
                    group.name(), settings.password().isPresent() ? " (AUTH required)" : "");
            return new RespServer(loops, listener, server);
        } catch (Exception e) {
            // Netty rethrows the bind's checked exception (BindException) unchecked.
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot serve RESP on " + settings.host() + ":" + settings.port()
                    + " (ringcache.resp.host, ringcache.resp.port): " + e.getMessage(), e);
        }
    }

    /**
     * Adds a connection's handlers to its pipeline, after any already there: requests are decoded, run in order by
     * the {@link CommandHandler}, and their replies encoded by the shared {@code encoder}; a large batch of replies
     * is streamed, encoded only as the connection takes it, by the {@link ChunkedWriteHandler} ({@link ReplyStream}).
     */
    static void installHandlers(ChannelPipeline pipeline, ClientSession client, RespLimits requestLimits,
                                ReplyEncoder encoder) {
        pipeline.addLast("decode", new RespRequestDecoder(requestLimits, client::authenticated))
                .addLast("stream", new ChunkedWriteHandler())
                .addLast("encode", encoder)
                .addLast("commands", new CommandHandler(client));
    }

    /** The port bound, useful after binding port 0. */
    public int port() {
        return server.port();
    }

    /** Stops accepting, closes every connection and stops the event loops. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
