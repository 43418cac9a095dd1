package io.ringcache.node.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * The peer endpoint of a node and how it calls other nodes.
 *
 * @param host the address the peer server binds ({@code 0.0.0.0} for every interface)
 * @param port the peer server's port; {@code 0} picks a free one (tests)
 * @param callTimeout the deadline of one call to a peer, connecting included
 * @param connectionsPerPeer persistent connections kept to each peer
 * @param maxFrameBytes the largest frame accepted in either direction; a larger one closes its connection
 */
public record PeerSettings(String host, int port, Duration callTimeout, int connectionsPerPeer, int maxFrameBytes) {

    public static final int DEFAULT_PORT = 7100;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_CONNECTIONS_PER_PEER = 2;
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 << 20;

    public PeerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peer port must be 0-65535, was " + port);
        }
        if (connectionsPerPeer < 1) {
            throw new IllegalArgumentException("connections per peer must be at least 1, was " + connectionsPerPeer);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("max frame bytes must be at least 1024, was " + maxFrameBytes);
        }
    }

    /** Binds {@code host}:{@code port} with the other defaults. */
    public static PeerSettings defaults(String host, int port) {
        return new PeerSettings(host, port, DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECTIONS_PER_PEER, DEFAULT_MAX_FRAME_BYTES);
    }
}
