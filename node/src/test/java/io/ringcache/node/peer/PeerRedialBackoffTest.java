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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wait before a peer that refused a connection is dialled again: through a client, on a clock that starts where
 * {@link System#nanoTime} may (its origin is arbitrary, so it may read negative, or wrap past {@link Long#MAX_VALUE});
 * and, for dials that settle after another slot's connect, on {@link PeerRedialBackoff} itself, with the slots' dials
 * settled in the order each case needs and no sockets: that order cannot be forced on real dials to one address
 * without racing the kernel (a listener closed to refuse the late dial may have queued it already, or lost its port).
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

    /** Slot 0's dial is refused after slot 1's connect: the peer accepted slot 1's, so it is not refusing. */
    @Test
    void aDialFailedAfterAnotherSlotConnectedSinceItBeganDoesNotBackOffThePeer() {
        boolean[] open = new boolean[2];
        // The clock stands still: a backoff, once started, would never pass.
        PeerRedialBackoff backoff = new PeerRedialBackoff(2, () -> 0L);

        long slot0Dial = backoff.dialing();
        backoff.connected(1);
        open[1] = true;
        backoff.failed(slot0Dial, slot -> open[slot]);

        assertThat(backoff.nanosToWait()).as("slot 0 may dial again at once").isLessThanOrEqualTo(0);
    }

    /**
     * A peer that stopped listening keeps the connections it has: slot 0's next dial, which began after slot 1's
     * connect, backs the peer off when refused too, so a refusing peer is not dialled on every call.
     */
    @Test
    void aDialFailedWhileOnlyConnectionsMadeBeforeItBeganAreOpenBacksOffThePeer() {
        boolean[] open = new boolean[2];
        PeerRedialBackoff backoff = new PeerRedialBackoff(2, () -> 0L);
        long slot0Dial = backoff.dialing();
        backoff.connected(1);
        open[1] = true;
        backoff.failed(slot0Dial, slot -> open[slot]);

        backoff.failed(backoff.dialing(), slot -> open[slot]);

        assertThat(backoff.nanosToWait()).as("slot 0's next dial, refused too").isEqualTo(100 * MILLI);
    }

    /** Slot 1's connect since the dial began proves nothing once that connection closed (the peer went away). */
    @Test
    void aDialFailedAfterAnotherSlotConnectedSinceItBeganBacksOffThePeerOnceThatConnectionClosed() {
        PeerRedialBackoff backoff = new PeerRedialBackoff(2, () -> 0L);

        long slot0Dial = backoff.dialing();
        backoff.connected(1);
        backoff.failed(slot0Dial, slot -> false);

        assertThat(backoff.nanosToWait()).isEqualTo(100 * MILLI);
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
