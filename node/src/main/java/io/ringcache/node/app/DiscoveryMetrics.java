package io.ringcache.node.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.discovery.MembershipSource;
import io.ringcache.node.ring.Membership;

/**
 * Prometheus metrics of where the ring comes from, read from the source and the membership when scraped:
 * {@code ringcache_discovery_errors_total} (failed attempts to read the members),
 * {@code ringcache_discovery_ring_updates_total} (member sets delivered that changed the ring),
 * {@code ringcache_discovery_ready} (1 once the first complete member list arrived),
 * {@code ringcache_discovery_peer_port_mismatch} (1 while the members list this node only with another peer port) and
 * {@code ringcache_ring_members} (members in the current ring). Not a bean by itself: the shell that builds the
 * node's {@link MembershipSource} and {@link Membership} registers it (e.g. from a {@code @Produces MeterBinder}).
 */
public final class DiscoveryMetrics implements MeterBinder {

    private final MembershipSource source;
    private final Membership membership;

    public DiscoveryMetrics(MembershipSource source, Membership membership) {
        this.source = source;
        this.membership = membership;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("ringcache.discovery.errors", source, MembershipSource::errors)
                .description("Failed attempts to read the ring's members (e.g. 403 without the Role, API server unreachable)")
                .register(registry);
        FunctionCounter.builder("ringcache.discovery.ring.updates", source, MembershipSource::ringUpdates)
                .description("Member sets delivered to the ring that changed it").register(registry);
        Gauge.builder("ringcache.discovery.ready", source, s -> s.ready() ? 1 : 0)
                .description("1 once discovery has delivered a complete member list").register(registry);
        Gauge.builder("ringcache.discovery.peer.port.mismatch", source, s -> s.peerPortMismatch().isPresent() ? 1 : 0)
                .description("1 while the members list this node's address only with other peer ports than "
                        + "ringcache.peer-port, so it is never in its own ring (the log's WARN says what to fix)")
                .register(registry);
        Gauge.builder("ringcache.ring.members", membership, m -> m.ring().members().size())
                .description("Members of the ring this node routes by").register(registry);
    }
}
