package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.peer.Transports;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every channel class {@link Transports} hands the peer and RESP bootstraps, for NIO and for epoll event loops, is
 * registered in {@link NettyChannelReflection}, so a native node can construct it.
 */
class NettyChannelReflectionTest {

    @Test
    void theNioChannelClassesAreRegistered() {
        assertThat(registered()).containsAll(channelClassesOn(new NioEventLoopGroup(1)));
    }

    @Test
    void theEpollChannelClassesAreRegisteredAndNothingElse() {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here: " + Epoll.unavailabilityCause());
        Set<String> used = new TreeSet<>(channelClassesOn(new NioEventLoopGroup(1)));
        used.addAll(channelClassesOn(new EpollEventLoopGroup(1)));
        assertThat(registered()).containsExactlyInAnyOrderElementsOf(used);
    }

    private static List<String> channelClassesOn(EventLoopGroup loops) {
        try {
            return List.of(Transports.serverChannel(loops).getName(), Transports.channel(loops).getName());
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private static List<String> registered() {
        return Arrays.stream(NettyChannelReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).toList();
    }
}
