package io.ringcache.node.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The kernel's table of TCP sockets ({@code /proc/net/tcp}), read for the timers a server armed on a connection. */
public final class KernelTcpTable {

    private static final Path TCP_TABLE = Path.of("/proc/net/tcp");
    /** Netty's epoll transport opens IPv6 sockets, so 127.0.0.1 shows there as an IPv4-mapped address. */
    private static final Path TCP6_TABLE = Path.of("/proc/net/tcp6");
    /** The "timer" field's value for a keepalive timer. */
    private static final String KEEPALIVE_TIMER = "02";

    private KernelTcpTable() {
    }

    /** Whether this machine has the table (Linux). */
    public static boolean isReadable() {
        return Files.isReadable(TCP_TABLE);
    }

    /**
     * Seconds until the keepalive probe of the server's side of the connection from 127.0.0.1:{@code clientPort} to
     * 127.0.0.1:{@code serverPort}.
     *
     * @throws AssertionError when no such connection is listed, or its active timer is not a keepalive one
     */
    public static long keepAliveSecondsLeft(int serverPort, int clientPort) throws IOException {
        String[] row = serverSideOf(serverPort, clientPort);
        // Column 5 is "timer:expires": the active timer's kind and when it fires, in clock ticks of 1/100 s.
        String[] timer = row[5].split(":");
        if (!KEEPALIVE_TIMER.equals(timer[0])) {
            throw new AssertionError("the server side's active timer is " + timer[0] + ", not keepalive (02): "
                    + String.join(" ", row));
        }
        return Long.parseLong(timer[1], 16) / 100;
    }

    private static String[] serverSideOf(int serverPort, int clientPort) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", serverPort);
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
