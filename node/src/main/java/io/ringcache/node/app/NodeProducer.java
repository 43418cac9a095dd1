package io.ringcache.node.app;

import io.quarkus.runtime.StartupEvent;
import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.config.NodeSettingsParser;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.GroupSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Starts the plain-Java {@link CacheNode} from Quarkus configuration and stops it with the application.
 * The node is built at start-up, not on first use, so a bad setting stops start-up with its key named.
 */
@ApplicationScoped
public class NodeProducer {

    private static final Logger LOG = Logger.getLogger(NodeProducer.class);

    @Produces
    @Singleton
    CacheNode cacheNode(Config config) {
        NodeSettings settings = NodeSettingsParser.parse(key -> config.getOptionalValue(key, String.class),
                config.getPropertyNames());
        return CacheNode.start(settings);
    }

    void close(@Disposes CacheNode node) {
        node.close();
    }

    void logGroups(@Observes StartupEvent started, CacheNode node) {
        LOG.infof("ringcache node started with groups %s", node.settings().groups().stream()
                .map(NodeProducer::describe).collect(Collectors.joining(", ")));
    }

    private static String describe(GroupSettings g) {
        return g.name() + " (" + g.maxBytes() + " bytes, " + g.eviction().configName() + ")";
    }
}
