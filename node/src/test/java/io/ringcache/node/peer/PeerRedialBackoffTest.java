package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
        // Two loops, so that two slots of a pool dial on loops of their own.
        loops = Transports.newEventLoops(2, "backoff-test");
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

    /**
     * A dial refused after another slot connected (it waited on its busy event loop, and the peer stopped listening
     * meanwhile) does not back off the peer: the other slot's connection is open, so its slot dials again.
     */
    @Test
    void aRefusalThatEndsAfterAnotherSlotConnectedDoesNotBackOffThePeer() throws Exception {
        ExecutorService slot0 = Executors.newSingleThreadExecutor();
        ExecutorService slot1 = Executors.newSingleThreadExecutor();
        CountDownLatch loop0Busy = new CountDownLatch(1);
        // The clock stands still: a backoff, once started, would never pass.
        try (ScriptedPeer peer = new ScriptedPeer();
             PeerClient client = new PeerClient(loops, 2, 64 * 1024, Duration.ofSeconds(1), () -> 0L)) {
            // Threads outside the group take the slots in turn: the first calls on slot 0, dialled on loop 0.
            ((EventLoop) loops.iterator().next()).execute(() -> awaitQuietly(loop0Busy));
            CompletableFuture<PeerResponse> waitingForLoop0 =
                    slot0.submit(() -> client.call(peer.member(), GET, Duration.ofSeconds(5))).get(5, TimeUnit.SECONDS);
            assertThat(callOn(slot1, client, peer.member())).as("slot 1 connects at once").isEqualTo("value of k");

            peer.refuseConnections();
            loop0Busy.countDown();
            Throwable refused = catchThrowable(() -> waitingForLoop0.get(5, TimeUnit.SECONDS));
            assertThat(refused).as("slot 0's dial, made once its loop was free").hasMessageContaining("unreachable");

            peer.acceptConnections();
            assertThat(callOn(slot0, client, peer.member())).as("slot 0 dials again").isEqualTo("value of k");
        } finally {
            loop0Busy.countDown();
            slot0.shutdownNow();
            slot1.shutdownNow();
        }
    }

    /** The value a call made on {@code thread} is answered with. */
    private static String callOn(ExecutorService thread, PeerClient client, String member) throws Exception {
        return thread.submit(() -> client.call(member, GET, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .get(10, TimeUnit.SECONDS).getValue().getValue().toStringUtf8();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
