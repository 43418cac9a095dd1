package io.ringcache.node.resp;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.core.LoopbackSettings;
import io.ringcache.node.store.TimeSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain-Java nodes for RESP tests, configured with the properties a real node reads: loopback, free ports,
 * static discovery, RESP on, the group {@code default}.
 */
final class RespTestNodes {

    private RespTestNodes() {
    }

    static CacheNode start(Map<String, String> properties, TimeSource time) {
        return CacheNode.start(LoopbackSettings.of(properties), time, () -> {
            throw new IllegalStateException("RESP tests run with static discovery");
        });
    }

    static CacheNode start(Map<String, String> properties) {
        return start(properties, TimeSource.SYSTEM);
    }

    /** {@code size} nodes with {@code properties}, joined into one ring. */
    static List<CacheNode> startCluster(int size, Map<String, String> properties) {
        List<CacheNode> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(start(properties));
        }
        List<String> members = nodes.stream().map(n -> n.membership().self()).toList();
        for (CacheNode node : nodes) {
            node.membership().update(members);
        }
        return nodes;
    }

    /** {@code connected_clients} from the node's {@code INFO clients}, less the connection that asks. */
    static long otherClientsConnected(CacheNode node) throws IOException {
        try (RawConnection c = new RawConnection(node.respPort())) {
            String info = c.send(RawConnection.command("INFO", "clients")).readReply();
            Matcher m = Pattern.compile("connected_clients:(\\d+)").matcher(info);
            if (!m.find()) {
                throw new AssertionError("INFO clients has no connected_clients: " + info);
            }
            return Long.parseLong(m.group(1)) - 1;
        }
    }

    /** {@code total_commands_processed} from the node's {@code INFO stats}, the INFO that reads it included. */
    static long totalCommandsProcessed(CacheNode node) throws IOException {
        try (RawConnection c = new RawConnection(node.respPort())) {
            String info = c.send(RawConnection.command("INFO", "stats")).readReply();
            Matcher m = Pattern.compile("total_commands_processed:(\\d+)").matcher(info);
            if (!m.find()) {
                throw new AssertionError("INFO stats has no total_commands_processed: " + info);
            }
            return Long.parseLong(m.group(1));
        }
    }
}
