package io.ringcache.node.resp;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the RESP server, for {@code INFO}. */
final class RespStats {

    private final LongAdder connectedClients = new LongAdder();
    private final LongAdder connectionsReceived = new LongAdder();
    private final LongAdder commandsProcessed = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();

    void connected() {
        connectedClients.increment();
        connectionsReceived.increment();
    }

    void disconnected() {
        connectedClients.decrement();
    }

    void commandProcessed() {
        commandsProcessed.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    long connectedClients() {
        return connectedClients.sum();
    }

    long connectionsReceived() {
        return connectionsReceived.sum();
    }

    long commandsProcessed() {
        return commandsProcessed.sum();
    }

    long protocolErrors() {
        return protocolErrors.sum();
    }
}
