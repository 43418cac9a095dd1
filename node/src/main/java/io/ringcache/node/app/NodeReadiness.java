package io.ringcache.node.app;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the node's groups exist; the response lists them with the bytes each holds. */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

    private final CacheNode node;

    public NodeReadiness(CacheNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ringcache-node").up();
        for (Group g : node.groups().all()) {
            response.withData("group." + g.name() + ".bytes", g.stats().store().charge());
        }
        return response.build();
    }
}
