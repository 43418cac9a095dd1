package io.ringcache.node.app;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the Netty channel classes the peer and RESP bootstraps create constructible in a native executable:
 * {@code bootstrap.channel(type)} creates every channel through the type's no-argument constructor, found by
 * reflection. Netty's and Quarkus's native-image metadata register three of them but not {@code EpollSocketChannel}:
 * a native node, which runs on epoll like a JVM node, could then accept peer connections but open none. Only
 * constructors are needed. {@code NettyChannelReflectionTest} takes the classes from {@code Transports}, which picks
 * them for both kinds of event loops, and fails when one is missing here or one listed is no longer used.
 */
@RegisterForReflection(methods = false, fields = false, targets = {EpollServerSocketChannel.class,
        EpollSocketChannel.class, NioServerSocketChannel.class, NioSocketChannel.class})
public final class NettyChannelReflection {

    private NettyChannelReflection() {
    }
}
