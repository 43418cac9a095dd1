package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Limits;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.group.Loader;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies stay in request order when the futures behind them complete late and out of order, on other threads:
 * the group here has a loader whose loads the test completes by hand, as a remote owner would.
 */
class RespOrderingTest {

    /** Loads that the test completes; each key's load is created on first use. */
    private final Map<String, CompletableFuture<Optional<byte[]>>> loads = new ConcurrentHashMap<>();
    private RespServer server;

    @BeforeEach
    void start() {
        Loader loader = key -> loads.computeIfAbsent(key, k -> new CompletableFuture<>());
        GroupSettings settings = new GroupSettings("default", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(30));
        LocalGroup local = new LocalGroup(settings,
                Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, TimeSource.SYSTEM),
                loader, Limits.DEFAULTS, TimeSource.SYSTEM);
        server = RespServer.start(RespSettings.defaults("127.0.0.1", 0), new Group(local), Limits.DEFAULTS,
                TimeSource.SYSTEM);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CompletableFuture<Optional<byte[]>> load(String key) {
        await().atMost(Duration.ofSeconds(5)).until(() -> loads.containsKey(key));
        return loads.get(key);
    }

    @Test
    void aSlowReplyHoldsBackTheRepliesAfterItAndNoneIsLost() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("GET", "slow-1"));
            pipeline.writeBytes(command("SET", "k", "v"));
            pipeline.writeBytes(command("GET", "slow-2"));
            pipeline.writeBytes(command("PING"));
            pipeline.writeBytes(command("GET", "k"));
            c.send(pipeline.toByteArray());

            // Completed in reverse order, from a thread that is not the connection's event loop.
            CompletableFuture.runAsync(() -> load("slow-2").complete(Optional.of("second".getBytes(UTF_8)))).join();
            CompletableFuture.runAsync(() -> load("slow-1").complete(Optional.of("first".getBytes(UTF_8)))).join();

            assertThat(c.readReply()).isEqualTo("$5\r\nfirst\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$6\r\nsecond\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void aFailedLoadBecomesAnErrorReplyInItsPlace() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(command("GET", "broken"));
            c.send(command("PING"));
            load("broken").completeExceptionally(new IllegalStateException("origin answered 503"));
            assertThat(c.readReply()).startsWith("-ERR the loader of group 'default' failed: ")
                    .contains("origin answered 503");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aRepliesProtocolIsTheOneInForceWhenItsCommandRan() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(command("GET", "absent"));
            c.send(command("HELLO", "3"));
            c.send(command("GET", "absent-too"));
            load("absent").complete(Optional.empty());
            load("absent-too").complete(Optional.empty());
            assertThat(c.readReply()).isEqualTo("$-1\r\n");
            assertThat(c.readReply()).startsWith("%7\r\n");
            assertThat(c.readReply()).isEqualTo("_\r\n");
        }
    }

    @Test
    void aClientThatLeavesWithRepliesPendingDoesNotDisturbTheOthers() throws IOException {
        try (RawConnection leaving = new RawConnection(server.port())) {
            leaving.send(command("GET", "late"));
            load("late");
        }
        load("late").complete(Optional.of("v".getBytes(UTF_8)));
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(command("GET", "late")).readReply()).isEqualTo("$1\r\nv\r\n");
        }
    }
}
