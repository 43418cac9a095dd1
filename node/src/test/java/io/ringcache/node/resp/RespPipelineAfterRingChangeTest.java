package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.core.ControlledPreviousOwner;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's commands on one key act in their order on a node that just became the key's owner, while the first
 * of them still asks the key's previous owner for it: the previous owner here answers only when the test lets it.
 */
class RespPipelineAfterRingChangeTest {

    private ControlledPreviousOwner previousOwner;
    private CacheNode node;
    private final AtomicLong infoCommands = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        previousOwner = ControlledPreviousOwner.start();
        // One loop: a command counted by INFO has also run, as the INFO connection is served on the same thread.
        node = RespTestNodes.start(Map.of("ringcache.resp.event-loops", "1", "ringcache.peer-timeout", "10s"));
        // The node joins the previous owner: every key it owns now was the previous owner's before.
        node.membership().update(List.of(node.membership().self(), previousOwner.member()));
    }

    @AfterEach
    void stop() {
        node.close();
        previousOwner.close();
    }

    private String keyOwnedByTheNode() {
        for (int i = 0; ; i++) {
            if (node.membership().ring().owner("counter-" + i).equals(node.membership().self())) {
                return "counter-" + i;
            }
        }
    }

    /** total_commands_processed from INFO, less the INFO commands this test sent to read it. */
    private long commandsProcessed() throws Exception {
        return RespTestNodes.totalCommandsProcessed(node) - infoCommands.incrementAndGet();
    }

    @Test
    void incrIncrDelIncrEndsWithOneNotThree() throws Exception {
        String key = keyOwnedByTheNode();
        long before = commandsProcessed();
        try (RawConnection c = new RawConnection(node.respPort())) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("INCR", key));
            pipeline.writeBytes(command("INCR", key));
            pipeline.writeBytes(command("DEL", key));
            pipeline.writeBytes(command("INCR", key));
            pipeline.writeBytes(command("GET", key));
            c.send(pipeline.toByteArray());
            // Every command has run before the previous owner answers that it does not hold the key.
            await().atMost(Duration.ofSeconds(10)).until(() -> commandsProcessed() - before >= 5);
            previousOwner.answer();

            assertThat(List.of(c.readReply(), c.readReply(), c.readReply(), c.readReply(), c.readReply()))
                    .containsExactly(":1\r\n", ":2\r\n", ":1\r\n", ":1\r\n", "$1\r\n1\r\n");
        }
    }

    @Test
    void incrFlushdbGetIncrAnswersTheIncrementThenNothingAndKeepsTheKeyFlushed() throws Exception {
        String key = keyOwnedByTheNode();
        previousOwner.holds(key, "10");
        long before = commandsProcessed();
        try (RawConnection c = new RawConnection(node.respPort())) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("INCR", key));
            pipeline.writeBytes(command("FLUSHDB"));
            pipeline.writeBytes(command("GET", key));
            pipeline.writeBytes(command("INCR", key));
            pipeline.writeBytes(command("GET", key));
            c.send(pipeline.toByteArray());
            // Every command has run before the previous owner answers with the key's value.
            await().atMost(Duration.ofSeconds(10)).until(() -> commandsProcessed() - before >= 5);
            previousOwner.answer();

            assertThat(List.of(c.readReply(), c.readReply(), c.readReply(), c.readReply(), c.readReply()))
                    .containsExactly(":11\r\n", "+OK\r\n", "$-1\r\n", ":1\r\n", "$1\r\n1\r\n");
        }
    }

    @Test
    void getThenSetAnswersTheValueBeforeTheSet() throws Exception {
        String key = keyOwnedByTheNode();
        previousOwner.holds(key, "10");
        long before = commandsProcessed();
        try (RawConnection c = new RawConnection(node.respPort())) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("GET", key));
            pipeline.writeBytes(command("SET", key, "v2"));
            pipeline.writeBytes(command("GET", key));
            c.send(pipeline.toByteArray());
            // Every command has run before the previous owner answers with the key's value.
            await().atMost(Duration.ofSeconds(10)).until(() -> commandsProcessed() - before >= 3);
            previousOwner.answer();

            assertThat(List.of(c.readReply(), c.readReply(), c.readReply()))
                    .containsExactly("$2\r\n10\r\n", "+OK\r\n", "$2\r\nv2\r\n");
        }
    }
}
