package io.ringcache.node.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.ringcache.node.peer.proto.PeerRequest;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/** Accepts peer connections on one address and serves their requests with a {@link PeerService}. */
public final class PeerServer implements AutoCloseable {

    /**
     * TCP keepalive on accepted connections: one from a node whose machine vanished without a reset is probed after
     * this much silence, then every third of it, and closed after 3 unanswered probes (about a minute in all). The
     * calling side needs no such help: its client pings a connection that has read nothing for a call timeout.
     */
    static final int KEEPALIVE_IDLE_SECONDS = 30;

    private final Channel listener;
    /** The connections accepted and still open (a closed one leaves the group by itself). */
    private final ChannelGroup accepted;
    private final PeerRequestHandler handler;
    /** Times a connection was read no more because too many of its requests were in progress ({@link PeerReadGate}). */
    private final LongAdder readsPausedForRequestsInProgress;

    private PeerServer(Channel listener, ChannelGroup accepted, PeerRequestHandler handler,
                       LongAdder readsPausedForRequestsInProgress) {
        this.listener = listener;
        this.accepted = accepted;
        this.handler = handler;
        this.readsPausedForRequestsInProgress = readsPausedForRequestsInProgress;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @param eventLoops shared with the node's peer client
     * @param maxFrameBytes the largest request accepted; a larger one closes its connection
     */
    public static PeerServer start(String host, int port, int maxFrameBytes, PeerService service,
                                   EventLoopGroup eventLoops) throws InterruptedException {
        PeerRequestHandler handler = new PeerRequestHandler(service);
        LongAdder readsPausedForRequestsInProgress = new LongAdder();
        ChannelGroup accepted = new DefaultChannelGroup("peer-connections", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops)
                .channel(Transports.serverChannel(eventLoops))
                .childOption(ChannelOption.TCP_NODELAY, true);
        Transports.keepAlive(bootstrap, eventLoops, KEEPALIVE_IDLE_SECONDS);
        Channel listener = bootstrap
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PeerFrames.install(ch.pipeline(), maxFrameBytes, PeerRequest.getDefaultInstance());
                        ch.pipeline().addLast("gate", new PeerReadGate(readsPausedForRequestsInProgress));
                        ch.pipeline().addLast("serve", handler);
                        accepted.add(ch);
                    }
                })
                .bind(host, port).sync().channel();
        return new PeerServer(listener, accepted, handler, readsPausedForRequestsInProgress);
    }

    /** The port bound, useful after binding port 0. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Connections closed because they sent a malformed or oversized frame, or a request not on its first hop (not
     * those the other end reset or closed; a request of an unknown operation is answered, not closed).
     */
    public long connectionsClosedForBadInput() {
        return handler.connectionsClosedForBadInput();
    }

    /**
     * Requests answered {@code UNSUPPORTED_OPERATION}: their operation is one this node does not know (a newer
     * version's), so they were not served.
     */
    public long requestsUnsupported() {
        return handler.requestsUnsupported();
    }

    /**
     * Times a connection was read no more because {@link PeerReadGate#MAX_IN_PROGRESS} of its requests were in
     * progress (their answers not yet written): its peer sent requests faster than this node answered them.
     */
    public long readsPausedForRequestsInProgress() {
        return readsPausedForRequestsInProgress.sum();
    }

    /**
     * Stops accepting connections and closes the open ones, failing the calls in flight on them at once on the
     * calling side. The event loops may be shared and outlive the server (the Quarkus shell hands in Vert.x's): left
     * open, its connections went on serving requests after the node had closed.
     */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        accepted.close().syncUninterruptibly();
    }
}
