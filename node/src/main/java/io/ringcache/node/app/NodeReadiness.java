package io.ringcache.node.app;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the node is in service: discovery delivered the ring and the node is not leaving (see
 * {@link CacheNode#inService()}). The response says whether the node is in its ring, the ring's size and each
 * group's bytes.
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
                .withData("self", node.membership().self())
                .withData("discovery", node.membershipSource().description())
                .withData("discovery.ready", node.membershipSource().ready())
                .withData("leaving", node.membership().isLeaving())
                .withData("in.ring", node.membership().ring().contains(node.membership().self()))
                .withData("ring.members", node.membership().ring().members().size());
        for (Group g : node.groups().all()) {
            response.withData("group." + g.name() + ".bytes", g.stats().store().charge());
        }
        return response.build();
    }
}
