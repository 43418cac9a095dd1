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
 */
public record RespSettings(boolean enabled, String host, int port, String group, Optional<String> password) {

    public static final int DEFAULT_PORT = 6379;

    public RespSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(password, "password");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("RESP port must be 0-65535, was " + port);
        }
    }

    /** Listening on {@code host}:{@code port} for the group {@code default}, without a password. */
    public static RespSettings defaults(String host, int port) {
        return new RespSettings(true, host, port, "default", Optional.empty());
    }
}
