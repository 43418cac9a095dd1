package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.core.CacheNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies stay in request order when the futures behind them complete late and out of order, on other threads:
 * the group reads through from an origin whose answers the test releases one by one.
 */
class RespOrderingTest {

    private ControlledOrigin origin;
    private final AtomicLong infoCommands = new AtomicLong();
    private CacheNode node;

    @BeforeEach
    void start() {
        origin = new ControlledOrigin();
        node = RespTestNodes.start(Map.of("ringcache.groups.default.origin", origin.template(),
                "ringcache.groups.default.load-timeout", "30s"));
    }

    @AfterEach
    void stop() {
        node.close();
        origin.close();
    }

    private void awaitRequested(String key) throws Exception {
        origin.requested(key).get(10, TimeUnit.SECONDS);
    }

    /** total_commands_processed from INFO, less the INFO commands this test sent to read it. */
    private long commandsProcessed() throws IOException {
        return RespTestNodes.totalCommandsProcessed(node) - infoCommands.incrementAndGet();
    }

    @Test
    void aSlowReplyHoldsBackTheRepliesAfterItAndNoneIsLost() throws Exception {
        try (RawConnection c = new RawConnection(node.respPort())) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("GET", "slow-1"));
            pipeline.writeBytes(command("SET", "k", "v"));
            pipeline.writeBytes(command("GET", "slow-2"));
            pipeline.writeBytes(command("PING"));
            pipeline.writeBytes(command("GET", "k"));
            c.send(pipeline.toByteArray());

            awaitRequested("slow-1");
            awaitRequested("slow-2");
            // Answered in reverse order, on the origin's threads, not the connection's event loop.
            origin.answer("slow-2", "second");
            origin.answer("slow-1", "first");

            assertThat(c.readReply()).isEqualTo("$5\r\nfirst\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$6\r\nsecond\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void aSlowReplyStopsTheConnectionAtTheWaitingLimitThenEveryReplyFollowsInOrder() throws Exception {
        int requests = 3 * CommandHandler.MAX_WAITING_REPLIES;
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        pipeline.writeBytes(command("GET", "slow"));
        List<String> expected = new ArrayList<>(List.of("$4\r\nlate\r\n"));
        for (int i = 1; i < requests; i++) {
            if (i % 3 == 0) {
                // Read through from the origin: completes later, on another thread.
                origin.answer("loaded-" + i, "v" + i);
                pipeline.writeBytes(command("GET", "loaded-" + i));
                expected.add("$" + ("v" + i).length() + "\r\nv" + i + "\r\n");
            } else {
                pipeline.writeBytes(command("ECHO", "e" + i));
                expected.add("$" + ("e" + i).length() + "\r\ne" + i + "\r\n");
            }
        }
        try (RawConnection c = new RawConnection(node.respPort())) {
            long before = commandsProcessed();
            c.send(pipeline.toByteArray());
            awaitRequested("slow");
            // Everything behind the slow reply waits with it, up to the limit; then the connection stops.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> commandsProcessed() - before == CommandHandler.MAX_WAITING_REPLIES);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> commandsProcessed() - before == CommandHandler.MAX_WAITING_REPLIES);

            origin.answer("slow", "late");
            for (int i = 0; i < requests; i++) {
                assertThat(c.readReply()).as("reply %d", i).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void aFailedLoadBecomesAnErrorReplyInItsPlace() throws Exception {
        try (RawConnection c = new RawConnection(node.respPort())) {
            c.send(command("GET", "broken"));
            c.send(command("PING"));
            awaitRequested("broken");
            origin.fail("broken", 503);
            assertThat(c.readReply()).startsWith("-ERR ").contains("503");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aRepliesProtocolIsTheOneInForceWhenItsCommandRan() throws Exception {
        try (RawConnection c = new RawConnection(node.respPort())) {
            c.send(command("GET", "absent"));
            c.send(command("HELLO", "3"));
            c.send(command("GET", "absent-too"));
            awaitRequested("absent");
            origin.notFound("absent");
            awaitRequested("absent-too");
            origin.notFound("absent-too");
            assertThat(c.readReply()).isEqualTo("$-1\r\n");
            assertThat(c.readReply()).startsWith("%7\r\n");
            assertThat(c.readReply()).isEqualTo("_\r\n");
        }
    }

    @Test
    void aClientThatEndsItsInputStillGetsTheRepliesThatCompleteLaterThenTheClose() throws Exception {
        try (RawConnection c = new RawConnection(node.respPort())) {
            c.send(command("GET", "slow")).send(command("PING")).endInput();
            awaitRequested("slow");
            origin.answer("slow", "v");
            assertThat(c.readReply()).isEqualTo("$1\r\nv\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatClosesWhileItsReplyWaitsIsDisconnectedOnceTheReplyIsReady() throws Exception {
        try (RawConnection leaving = new RawConnection(node.respPort())) {
            leaving.send(command("GET", "late"));
            awaitRequested("late");
        }
        // Its close looks like a half-close (a FIN), so the connection waits for the reply; the reply's write
        // then finds the client gone, and the connection must not outlive it.
        origin.answer("late", "v");
        await().atMost(Duration.ofSeconds(5)).until(() -> RespTestNodes.otherClientsConnected(node) == 0);
    }

    @Test
    void aClientThatLeavesWithRepliesPendingDoesNotDisturbTheOthers() throws Exception {
        try (RawConnection leaving = new RawConnection(node.respPort())) {
            leaving.send(command("GET", "late"));
            awaitRequested("late");
        }
        origin.answer("late", "v");
        try (RawConnection c = new RawConnection(node.respPort())) {
            assertThat(c.send(command("GET", "late")).readReply()).isEqualTo("$1\r\nv\r\n");
        }
    }
}
