package io.ringcache.node.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.config.NodeSettingsParser;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.handoff.HandoffStats;
import io.ringcache.node.store.TimeSource;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
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

    /**
     * @param kubernetes the client Quarkus configures ({@code quarkus.kubernetes-client.*}); resolved only when
     *     the node discovers its members through Kubernetes, so a static node never creates it
     */
    @Produces
    @Singleton
    CacheNode cacheNode(Config config, Instance<KubernetesClient> kubernetes, Vertx vertx) {
        NodeSettings settings = NodeSettingsParser.parse(WrittenValues.of(config), WrittenKeys.of(config));
        // Peers are served and called on Vert.x's event loops, the HTTP server's: a forwarded GET stays on one thread.
        return CacheNode.start(settings, TimeSource.SYSTEM, kubernetes::get, vertx.nettyEventLoopGroup());
    }

    @Produces
    @Singleton
    MeterBinder discoveryMetrics(CacheNode node) {
        return new DiscoveryMetrics(node.membershipSource(), node.membership());
    }

    @Produces
    @Singleton
    MeterBinder peerMetrics(CacheNode node) {
        return new PeerMetrics(node.peerServer(), node.peerClient());
    }

    void close(@Disposes CacheNode node) {
        node.close();
    }

    void logGroups(@Observes StartupEvent started, CacheNode node) {
        LOG.infof("ringcache node %s started with groups %s; ring %s", node.membership().self(),
                node.settings().groups().stream().map(NodeProducer::describe).collect(Collectors.joining(", ")),
                node.membership().ring().members());
    }

    /**
     * On SIGTERM: readiness drops (the node is leaving), the node leaves the ring and hands its entries to
     * their new owners within {@code ringcache.shutdown.grace}, then stops.
     */
    void leaveRing(@Observes ShutdownEvent stopping, CacheNode node) {
        LOG.infof("leaving the ring and handing entries off (at most %s)", node.settings().shutdownGrace());
        long started = System.nanoTime();
        boolean handedOff = node.stopGracefully();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (handedOff) {
            LOG.infof("hand-off finished in %d ms: %d entries sent", millis, node.handoffStats().entriesSent());
        } else {
            HandoffStats stats = node.handoffStats();
            LOG.warnf("hand-off did not finish within %s: %d entries no new owner acknowledged, and %d writes applied "
                    + "here for owners that did not answer, are lost (%d entries sent, %d batches failed)",
                    node.settings().shutdownGrace(), stats.entriesPending(), node.hintsPending(), stats.entriesSent(),
                    stats.batchesFailed());
        }
    }

    private static String describe(GroupSettings g) {
        return g.name() + " (" + g.maxBytes() + " bytes, " + g.eviction().configName() + ")";
    }
}
