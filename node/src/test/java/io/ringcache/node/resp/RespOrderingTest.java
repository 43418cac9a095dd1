package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.core.CacheNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies stay in request order when the futures behind them complete late and out of order, on other threads:
 * the group reads through from an origin whose answers the test releases one by one.
 */
class RespOrderingTest {

    private ControlledOrigin origin;
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
