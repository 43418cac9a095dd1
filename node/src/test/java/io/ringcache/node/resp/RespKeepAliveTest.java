package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringcache.node.core.CacheNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client connections carry Redis's TCP keepalive (probes after 300 s idle), read from the kernel's own table of
 * sockets: the server side of the connection has its keepalive timer armed.
 */
class RespKeepAliveTest {

    private static final Path TCP_TABLE = Path.of("/proc/net/tcp");
    /** Netty's epoll transport opens IPv6 sockets, so 127.0.0.1 shows there as an IPv4-mapped address. */
    private static final Path TCP6_TABLE = Path.of("/proc/net/tcp6");

    private CacheNode node;

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anIdleClientConnectionIsProbedAfterRedissKeepaliveTime() throws IOException {
        assumeTrue(Files.isReadable(TCP_TABLE), "needs Linux's /proc/net/tcp");
        try (RawConnection c = new RawConnection(node.respPort())) {
            assertThat(c.send(command("PING")).readReply()).isEqualTo("+PONG\r\n");
            String[] serverSide = serverSocketOf(c.localPort());

            // Column 5 is "timer:expires": timer 2 is keepalive, expiring in clock ticks of 1/100 s.
            String[] timer = serverSide[5].split(":");
            assertThat(timer[0]).as("the server side's active timer").isEqualTo("02");
            long expiresInSeconds = Long.parseLong(timer[1], 16) / 100;
            assertThat(expiresInSeconds).isBetween(RespServer.KEEPALIVE_IDLE_SECONDS - 60L,
                    (long) RespServer.KEEPALIVE_IDLE_SECONDS);
        }
    }

    /** The row of the connection from 127.0.0.1:{@code clientPort} to the node's RESP port, split on blanks. */
    private String[] serverSocketOf(int clientPort) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", node.respPort());
        String remote = String.format(Locale.ROOT, "0100007F:%04X", clientPort);
        for (Path table : List.of(TCP_TABLE, TCP6_TABLE)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String row : Files.readAllLines(table)) {
                String[] columns = row.trim().split("\\s+");
                if (columns[1].endsWith(local) && columns[2].endsWith(remote)) {
                    return columns;
                }
            }
        }
        throw new AssertionError("no socket " + local + " -> " + remote + " in " + TCP_TABLE + " or " + TCP6_TABLE);
    }
}
