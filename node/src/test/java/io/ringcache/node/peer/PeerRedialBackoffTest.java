package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.PeerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wait before a peer that refused a connection is dialled again, on a clock that starts where
 * {@link System#nanoTime} may: its origin is arbitrary, so it may read negative, or wrap past {@link Long#MAX_VALUE}.
 */
class PeerRedialBackoffTest {

    private static final long MILLI = 1_000_000;
    private static final PeerRequest GET = PeerRequest.newBuilder()
            .setGet(Get.newBuilder().setGroup("g").setKey("k")).build();

    private EventLoopGroup loops;
    private String refusing;

    @BeforeEach
    void start() throws IOException {
        loops = Transports.newEventLoops(1, "backoff-test");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = "127.0.0.1:" + probe.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest(name = "clock starting at {0}")
    @ValueSource(longs = {-1_000_000_000_000L, 0, Long.MAX_VALUE - 50 * MILLI, Long.MIN_VALUE})
    void aFreshPeerIsDialledAtOnceAndARefusingOneAgainOnlyOnceItsBackoffPassed(long origin) {
        AtomicLong clock = new AtomicLong(origin);
        try (PeerClient client = new PeerClient(loops, 1, 64 * 1024, Duration.ofSeconds(1), clock::get)) {
            assertThat(failureOfCall(client)).as("dialled at once").contains("unreachable");
            assertThat(failureOfCall(client)).as("refused: backs off").contains("retrying in 100 ms");

            clock.addAndGet(99 * MILLI);
            assertThat(failureOfCall(client)).as("1 ms of backoff left").contains("retrying in 1 ms");

            clock.addAndGet(MILLI);
            assertThat(failureOfCall(client)).as("dialled once the backoff passed").contains("unreachable");
            assertThat(failureOfCall(client)).as("refused again: backs off twice as long")
                    .contains("retrying in 200 ms");
        }
    }

    /** The message a call to the refusing peer fails with: never sent, so never served. */
    private String failureOfCall(PeerClient client) {
        Throwable failure = catchThrowable(
                () -> client.call(refusing, GET, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class);
        return failure.getCause().getMessage();
    }
}
