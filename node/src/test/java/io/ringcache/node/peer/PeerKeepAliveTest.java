package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioEventLoopGroup;
import io.ringcache.node.peer.proto.PeerResponse;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Connections the peer server accepts carry TCP keepalive ({@link Transports#keepAlive}), read from the kernel's own
 * table of sockets: probes after {@link PeerServer#KEEPALIVE_IDLE_SECONDS} on epoll, the kernel's default time on NIO.
 */
class PeerKeepAliveTest {

    private static final int MAX_FRAME = 1 << 20;

    @Test
    void anAcceptedConnectionIsProbedAfterTheKeepaliveIdleTimeOnEpoll() throws Exception {
        assumeTrue(KernelTcpTable.isReadable(), "needs Linux's /proc/net/tcp");
        assumeTrue(Epoll.isAvailable(), "needs Netty's epoll transport");
        EventLoopGroup loops = Transports.newEventLoops(1, "keepalive-test");
        try {
            assertThat(keepAliveSecondsLeftOfAnAcceptedConnection(loops))
                    .isBetween(PeerServer.KEEPALIVE_IDLE_SECONDS - 10L, (long) PeerServer.KEEPALIVE_IDLE_SECONDS);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void onNioTheKernelsKeepaliveTimeApplies() throws Exception {
        Path kernelDefault = Path.of("/proc/sys/net/ipv4/tcp_keepalive_time");
        assumeTrue(KernelTcpTable.isReadable() && Files.isReadable(kernelDefault), "needs Linux's /proc");
        // Read as lines: procfs reports a size of 0, and Files.readString read only the first byte of this file.
        long defaultSeconds = Long.parseLong(Files.readAllLines(kernelDefault).get(0).trim());
        EventLoopGroup loops = new NioEventLoopGroup(1);
        try {
            assertThat(keepAliveSecondsLeftOfAnAcceptedConnection(loops))
                    .isBetween(defaultSeconds - 10, defaultSeconds);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Connects to a peer server on {@code loops} and reads the keepalive timer the server side's socket has armed. */
    private static long keepAliveSecondsLeftOfAnAcceptedConnection(EventLoopGroup loops) throws Exception {
        PeerServer server = PeerServer.start("127.0.0.1", 0, MAX_FRAME,
                (request, deadline) -> CompletableFuture.completedFuture(PeerResponse.getDefaultInstance()), loops);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            // The kernel lists the connection once it is established; the server arms keepalive when it accepts it.
            AtomicLong secondsLeft = new AtomicLong();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> secondsLeft.set(
                    KernelTcpTable.keepAliveSecondsLeft(server.port(), client.getLocalPort())));
            return secondsLeft.get();
        } finally {
            server.close();
        }
    }
}
