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
 * @param eventLoops the threads serving RESP connections; {@link #ONE_PER_CORE} for one per available core
 */
public record RespSettings(boolean enabled, String host, int port, String group, Optional<String> password,
                           int eventLoops) {

    public static final int DEFAULT_PORT = 6379;
    /** The {@code eventLoops} value that sizes the server to the cores the JVM may use. */
    public static final int ONE_PER_CORE = 0;

    public RespSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(password, "password");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("RESP port must be 0-65535, was " + port);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("RESP event loops must be " + ONE_PER_CORE + " (one per core) or more, was "
                    + eventLoops);
        }
    }

    /** Listening on {@code host}:{@code port} for the group {@code default}, without a password, one loop per core. */
    public static RespSettings defaults(String host, int port) {
        return new RespSettings(true, host, port, "default", Optional.empty(), ONE_PER_CORE);
    }

    /** How many event loops to start: {@link #eventLoops()}, or the available cores for {@link #ONE_PER_CORE}. */
    public int eventLoopCount() {
        return eventLoops == ONE_PER_CORE ? Runtime.getRuntime().availableProcessors() : eventLoops;
    }
}
