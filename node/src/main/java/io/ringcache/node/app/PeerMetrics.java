package io.ringcache.node.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;

/**
 * Prometheus metrics of the transport between nodes, read from the peer server and client when scraped:
 * {@code ringcache_peer_connections_closed_bad_input_total} (connections closed for a malformed frame or a wrong hop),
 * {@code ringcache_peer_calls_unsent_write_buffer_full_total} (calls failed unsent: the peer stopped reading),
 * {@code ringcache_peer_calls_unsupported_total} (calls a peer refused as an operation it does not know),
 * {@code ringcache_peer_requests_unsupported_total} (requests from peers this node refused so) and
 * {@code ringcache_peer_reads_paused_requests_in_progress_total} (times a connection was read no more: its peer sent
 * requests faster than this node answered them). Not tagged by peer, so that members coming and going leave no meters
 * behind; the failed calls' messages name the peer. Not a bean by itself: the shell that builds the node registers it
 * (e.g. from a {@code @Produces MeterBinder}).
 */
public final class PeerMetrics implements MeterBinder {

    private final PeerServer server;
    private final PeerClient client;

    public PeerMetrics(PeerServer server, PeerClient client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("ringcache.peer.connections.closed.bad.input", server,
                        PeerServer::connectionsClosedForBadInput)
                .description("Peer connections closed because they sent a malformed or oversized frame, or a request "
                        + "not on its first hop")
                .register(registry);
        FunctionCounter.builder("ringcache.peer.calls.unsent.write.buffer.full", client,
                        PeerClient::callsUnsentWriteBufferFull)
                .description("Calls to other nodes failed at once, unsent, because their connection held 16 MiB the "
                        + "peer had not read: it stopped reading (pings of idle connections included)")
                .register(registry);
        FunctionCounter.builder("ringcache.peer.calls.unsupported", client, PeerClient::callsUnsupported)
                .description("Calls to other nodes answered UNSUPPORTED_OPERATION: the peer does not know their "
                        + "operation (it runs an older version)")
                .register(registry);
        FunctionCounter.builder("ringcache.peer.requests.unsupported", server, PeerServer::requestsUnsupported)
                .description("Requests from other nodes answered UNSUPPORTED_OPERATION, not served: this node does "
                        + "not know their operation (the caller runs a newer version)")
                .register(registry);
        FunctionCounter.builder("ringcache.peer.reads.paused.requests.in.progress", server,
                        PeerServer::readsPausedForRequestsInProgress)
                .description("Times a connection from another node was read no more because 4096 of its requests "
                        + "were in progress, their answers not yet written: the peer sent requests faster than they "
                        + "were answered. Reading resumes once 2048 are")
                .register(registry);
    }
}
