package io.ringcache.node.resp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the RESP server, for {@code INFO}. Commands are counted per connection ({@link ClientSession}) and
 * summed here when asked, so the hot path touches no counter shared between event loops.
 */
final class RespStats {

    private final Set<ClientSession> connected = ConcurrentHashMap.newKeySet();
    private final LongAdder connectionsReceived = new LongAdder();
    /** Commands of connections that have closed. */
    private final LongAdder commandsOfClosedConnections = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();

    void connected(ClientSession client) {
        connected.add(client);
        connectionsReceived.increment();
    }

    void disconnected(ClientSession client) {
        if (connected.remove(client)) {
            commandsOfClosedConnections.add(client.commandsProcessed());
        }
    }

    void protocolError() {
        protocolErrors.increment();
    }

    long connectedClients() {
        return connected.size();
    }

    long connectionsReceived() {
        return connectionsReceived.sum();
    }

    long commandsProcessed() {
        long total = commandsOfClosedConnections.sum();
        for (ClientSession client : connected) {
            total += client.commandsProcessed();
        }
        return total;
    }

    long protocolErrors() {
        return protocolErrors.sum();
    }
}
