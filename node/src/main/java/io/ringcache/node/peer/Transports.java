package io.ringcache.node.peer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
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

    private static boolean isEpoll(EventLoopGroup loops) {
        // A group handed in by the host (Vert.x in the Quarkus shell) may be either kind.
        return loops instanceof EpollEventLoopGroup;
    }
}
