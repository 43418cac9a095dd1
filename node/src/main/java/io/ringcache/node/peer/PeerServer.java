package io.ringcache.node.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.proto.PeerRequest;
import java.net.InetSocketAddress;

/** Accepts peer connections on one address and serves their requests with a {@link PeerService}. */
public final class PeerServer implements AutoCloseable {

    private final Channel listener;
    private final PeerRequestHandler handler;

    private PeerServer(Channel listener, PeerRequestHandler handler) {
        this.listener = listener;
        this.handler = handler;
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
        Channel listener = new ServerBootstrap()
                .group(eventLoops)
                .channel(Transports.serverChannel(eventLoops))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PeerFrames.install(ch.pipeline(), maxFrameBytes, PeerRequest.getDefaultInstance());
                        ch.pipeline().addLast("serve", handler);
                    }
                })
                .bind(host, port).sync().channel();
        return new PeerServer(listener, handler);
    }

    /** The port bound, useful after binding port 0. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Connections closed because they sent a malformed, oversized or unknown frame. */
    public long connectionsClosedForBadInput() {
        return handler.connectionsClosedForBadInput();
    }

    /** Stops accepting connections; open ones close with the event loops. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
