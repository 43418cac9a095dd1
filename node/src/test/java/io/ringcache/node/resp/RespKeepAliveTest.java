package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.peer.KernelTcpTable;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client connections carry Redis's TCP keepalive (probes after 300 s idle), read from the kernel's own table of
 * sockets: the server side of the connection has its keepalive timer armed.
 */
class RespKeepAliveTest {

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
        assumeTrue(KernelTcpTable.isReadable(), "needs Linux's /proc/net/tcp");
        try (RawConnection c = new RawConnection(node.respPort())) {
            assertThat(c.send(command("PING")).readReply()).isEqualTo("+PONG\r\n");
            assertThat(KernelTcpTable.keepAliveSecondsLeft(node.respPort(), c.localPort()))
                    .isBetween(RespServer.KEEPALIVE_IDLE_SECONDS - 60L, (long) RespServer.KEEPALIVE_IDLE_SECONDS);
        }
    }
}
