package io.ringcache.node.resp;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.Limits;
import io.ringcache.node.store.TimeSource;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one RESP server shares: the group, the settings, the command table, the counters. */
final class ServerContext {

    private final Group group;
    private final Limits limits;
    private final RespSettings settings;
    private final CommandTable commands;
    private final RespStats stats = new RespStats();
    private final TimeSource time;
    private final long startedAtMillis;
    /** Like Redis's run_id: a random identifier of this server's lifetime, for tools that notice restarts. */
    private final String runId;
    private final AtomicLong nextClientId = new AtomicLong();
    private final String multiplexingApi;
    private volatile int port;

    ServerContext(Group group, Limits limits, RespSettings settings, CommandTable commands, TimeSource time,
                  String multiplexingApi) {
        this.group = group;
        this.limits = limits;
        this.settings = settings;
        this.commands = commands;
        this.time = time;
        this.multiplexingApi = multiplexingApi;
        this.startedAtMillis = time.nowMillis();
        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        this.runId = HexFormat.of().formatHex(random);
    }

    Group group() {
        return group;
    }

    Limits limits() {
        return limits;
    }

    RespSettings settings() {
        return settings;
    }

    CommandTable commands() {
        return commands;
    }

    RespStats stats() {
        return stats;
    }

    TimeSource time() {
        return time;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    String runId() {
        return runId;
    }

    String multiplexingApi() {
        return multiplexingApi;
    }

    long newClientId() {
        return nextClientId.incrementAndGet();
    }

    int port() {
        return port;
    }

    void port(int boundPort) {
        this.port = boundPort;
    }
}
