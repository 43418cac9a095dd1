package io.ringcache.node.resp;

import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.GroupStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The text of {@code INFO}: Redis's format ({@code # Section} headers, {@code field:value} lines, a blank line
 * between sections) with real figures of this node and its RESP group. Fields Redis has that mean nothing here
 * (persistence, replication) are left out rather than filled with made-up values.
 */
final class InfoReport {

    static final List<String> SECTIONS = List.of("server", "clients", "memory", "stats", "keyspace");
    /** A version clients that check one accept: ringcache speaks the Redis 7.0 protocol. */
    static final String REDIS_VERSION = "7.0.0";

    private InfoReport() {
    }

    /**
     * The report of the sections named in {@code args[1..]} ({@code default}, {@code all} and {@code everything}
     * name every section; unknown names are ignored, as Redis does); every section without arguments.
     */
    static String of(ClientSession client, byte[][] args) {
        Set<String> wanted = new LinkedHashSet<>();
        if (args.length == 1) {
            wanted.addAll(SECTIONS);
        }
        for (int i = 1; i < args.length; i++) {
            String name = Arguments.lowercase(args[i]);
            if (name.equals("default") || name.equals("all") || name.equals("everything")) {
                wanted.addAll(SECTIONS);
            } else if (SECTIONS.contains(name)) {
                wanted.add(name);
            }
        }
        ServerContext server = client.server();
        GroupStats stats = server.group().stats();
        StringBuilder text = new StringBuilder();
        for (String section : SECTIONS) {
            if (!wanted.contains(section)) {
                continue;
            }
            if (text.length() > 0) {
                text.append("\r\n");
            }
            List<String> lines = switch (section) {
                case "server" -> server(server);
                case "clients" -> clients(server);
                case "memory" -> memory(server, stats);
                case "stats" -> stats(server, stats);
                default -> keyspace(stats);
            };
            text.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
            for (String line : lines) {
                text.append(line).append("\r\n");
            }
        }
        return text.toString();
    }

    private static List<String> server(ServerContext server) {
        long uptimeSeconds = Math.max(0, (server.time().nowMillis() - server.startedAtMillis()) / 1000);
        return List.of(
                "redis_version:" + REDIS_VERSION,
                "redis_mode:standalone",
                "server_name:ringcache",
                "os:" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "arch_bits:" + (System.getProperty("os.arch").contains("64") ? 64 : 32),
                "multiplexing_api:" + server.multiplexingApi(),
                "java_version:" + System.getProperty("java.version"),
                "process_id:" + ProcessHandle.current().pid(),
                "run_id:" + server.runId(),
                "tcp_port:" + server.port(),
                "server_time_usec:" + TimeUnit.MILLISECONDS.toMicros(server.time().nowMillis()),
                "uptime_in_seconds:" + uptimeSeconds,
                "uptime_in_days:" + uptimeSeconds / 86_400,
                "ringcache_group:" + server.group().name());
    }

    private static List<String> clients(ServerContext server) {
        return List.of(
                "connected_clients:" + server.stats().connectedClients(),
                "blocked_clients:0");
    }

    private static List<String> memory(ServerContext server, GroupStats stats) {
        GroupSettings group = server.group().settings();
        Runtime jvm = Runtime.getRuntime();
        long heapUsed = jvm.totalMemory() - jvm.freeMemory();
        return List.of(
                "used_memory:" + stats.store().charge(),
                "used_memory_human:" + human(stats.store().charge()),
                "maxmemory:" + group.maxBytes(),
                "maxmemory_human:" + human(group.maxBytes()),
                "maxmemory_policy:" + group.eviction().configName(),
                "jvm_heap_used:" + heapUsed,
                "jvm_heap_used_human:" + human(heapUsed),
                "jvm_heap_max:" + jvm.maxMemory(),
                "jvm_heap_max_human:" + human(jvm.maxMemory()));
    }

    private static List<String> stats(ServerContext server, GroupStats stats) {
        List<String> lines = new ArrayList<>();
        lines.add("total_connections_received:" + server.stats().connectionsReceived());
        lines.add("total_commands_processed:" + server.stats().commandsProcessed());
        lines.add("total_protocol_errors:" + server.stats().protocolErrors());
        lines.add("expired_keys:" + stats.store().expirations());
        lines.add("evicted_keys:" + stats.store().evictions());
        lines.add("keyspace_hits:" + stats.hits());
        lines.add("keyspace_misses:" + stats.misses());
        lines.add("loads:" + stats.loads());
        lines.add("load_errors:" + stats.loadErrors());
        lines.add("loads_deduped:" + stats.loadsDeduped());
        return lines;
    }

    /**
     * This node's entries of the group and how many of them have a TTL, as Redis's {@code db0:keys=N,expires=M}
     * (which tools such as redis_exporter need both of). Redis's {@code avg_ttl} is left out: it is an estimate
     * ringcache does not make.
     */
    private static List<String> keyspace(GroupStats stats) {
        long keys = stats.store().entries();
        return keys == 0 ? List.of() : List.of("db0:keys=" + keys + ",expires=" + stats.store().expiring());
    }

    /** Redis's human form: bytes as B, K, M, G with two decimals. */
    static String human(long bytes) {
        String[] units = {"B", "K", "M", "G", "T", "P"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }
}
