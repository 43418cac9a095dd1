package io.ringcache.node.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The Netty transport for this machine: epoll on Linux when its native library loads, NIO elsewhere. */
public final class Transports {

    private Transports() {
    }

    /**
     * Event loops for the peer protocol, one per core by default: peer calls are short and never block,
     * so more threads than cores would only add context switches.
     */
    public static EventLoopGroup newEventLoops(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return Epoll.isAvailable() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    /** The server channel type that runs on {@code loops} (epoll loops take epoll channels, NIO loops NIO). */
    public static Class<? extends ServerChannel> serverChannel(EventLoopGroup loops) {
        return isEpoll(loops) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client channel type that runs on {@code loops}. */
    public static Class<? extends Channel> channel(EventLoopGroup loops) {
        return isEpoll(loops) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Turns on TCP keepalive for the connections {@code bootstrap} accepts: an idle one is probed after
     * {@code idleSeconds}, then every third of that, and closed after 3 unanswered probes. On NIO, which cannot
     * set these timings, the kernel's defaults (two hours before the first probe) apply.
     */
    public static void keepAlive(ServerBootstrap bootstrap, EventLoopGroup loops, int idleSeconds) {
        bootstrap.childOption(ChannelOption.SO_KEEPALIVE, true);
        if (isEpoll(loops)) {
            bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, idleSeconds / 3)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, 3);
        }
    }

    private static boolean isEpoll(EventLoopGroup loops) {
        // A group handed in by the host (Vert.x in the Quarkus shell) may be either kind.
        return loops instanceof EpollEventLoopGroup;
    }
}
