package io.ringcache.node.resp;

import java.util.Objects;
import java.util.Optional;

/**
 * The Redis protocol front end.
 *
 * @param enabled whether the node listens for RESP clients
 * @param host the address to bind
 * @param port the port to bind; {@code 0} picks a free one (tests)
 * @param group the group every command acts on
 * @param password the password {@code AUTH} expects; empty means no authentication
 * @param eventLoops the threads serving RESP connections; {@link #AUTOMATIC} for {@link #automaticCount}
 */
public record RespSettings(boolean enabled, String host, int port, String group, Optional<String> password,
                           int eventLoops) {

    public static final int DEFAULT_PORT = 6379;
    /** The {@code eventLoops} value that sizes the server to the cores the JVM may use ({@link #automaticCount}). */
    public static final int AUTOMATIC = 0;

    public RespSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(password, "password");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("RESP port must be 0-65535, was " + port);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("RESP event loops must be " + AUTOMATIC + " (automatic) or more, was "
                    + eventLoops);
        }
    }

    /** Listening on {@code host}:{@code port} for the group {@code default}, without a password, loops sized automatically. */
    public static RespSettings defaults(String host, int port) {
        return new RespSettings(true, host, port, "default", Optional.empty(), AUTOMATIC);
    }

    /** How many event loops to start: {@link #eventLoops()}, or {@link #automaticCount} of the available cores. */
    public int eventLoopCount() {
        return eventLoops == AUTOMATIC ? automaticCount(Runtime.getRuntime().availableProcessors()) : eventLoops;
    }

    /**
     * One loop per core but one, and at least one. Commands never block, so a loop per core would let RESP
     * alone keep every core busy, while the node also serves its peers, HTTP and the garbage collector, and
     * clients or other pods often share its cores. A loop that waits for a core costs every request on it:
     * on two cores shared with redis-benchmark, two loops gave unpipelined requests 5 to 7 times Redis's p99,
     * one loop about Redis's ({@code bench/RESULTS.md}). Redis runs its commands on one thread and advises
     * leaving a core spare for its I/O threads.
     */
    static int automaticCount(int cores) {
        return Math.max(1, cores - 1);
    }
}
