package io.ringcache.node.app;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.discovery.MembershipSource;
import io.ringcache.node.group.Group;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the node is in service: discovery delivered the ring and the node is not leaving (see
 * {@link CacheNode#inService()}). The response says whether the node is in its ring, the ring's size and each
 * group's bytes, and, while the discovered members list this node with another peer port than its own, which.
 * That mismatch keeps the node up: a Service's port slip would otherwise take every node out of service at once.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

    private final CacheNode node;

    public NodeReadiness(CacheNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ringcache-node").status(node.inService())
                .withData("self", node.membership().self());
        withDiscovery(response, node.membershipSource())
                .withData("leaving", node.membership().isLeaving())
                .withData("in.ring", node.membership().ring().contains(node.membership().self()))
                .withData("ring.members", node.membership().ring().members().size());
        for (Group g : node.groups().all()) {
            response.withData("group." + g.name() + ".bytes", g.stats().store().charge());
        }
        return response.build();
    }

    /** Adds what {@code source} reads and whether it is ready; {@code discovery.peer.port.mismatch} only meanwhile. */
    static HealthCheckResponseBuilder withDiscovery(HealthCheckResponseBuilder response, MembershipSource source) {
        response.withData("discovery", source.description()).withData("discovery.ready", source.ready());
        source.peerPortMismatch().ifPresent(mismatch -> response.withData("discovery.peer.port.mismatch", mismatch));
        return response;
    }
}
