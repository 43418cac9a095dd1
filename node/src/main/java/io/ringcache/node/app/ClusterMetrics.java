package io.ringcache.node.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.RoutingStats;
import io.ringcache.node.handoff.HandoffStats;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Cluster metrics, read from the node's own counters when scraped: ring changes, hand-off traffic, and per group
 * the requests that crossed the cluster and the hot-key copies ({@code ringcache_ring_changes_total},
 * {@code ringcache_handoff_*}, {@code ringcache_group_*} tagged {@code group}). The transport's own are
 * {@link PeerMetrics}.
 */
@Singleton
public class ClusterMetrics implements MeterBinder {

    private final CacheNode node;

    public ClusterMetrics(CacheNode node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("ringcache.ring.changes", node, n -> n.membership().changes())
                .description("Changes of the ring's members since start").register(registry);
        handoff(registry, "entries.sent", "Entries handed to their new owners", HandoffStats::entriesSent);
        handoff(registry, "bytes.sent", "Bytes of hand-off batches new owners answered, as encoded on the wire",
                HandoffStats::bytesSent);
        handoff(registry, "entries.refused", "Entries a new owner refused: its ring gives their keys to other members",
                HandoffStats::entriesRefused);
        handoff(registry, "entries.dropped", "Entries dropped because this node no longer owns them",
                HandoffStats::entriesDropped);
        handoff(registry, "entries.given.up", "Entries a new owner did not take in time, given up before it could"
                + " have forgotten a delete of their keys", HandoffStats::entriesGivenUp);
        handoff(registry, "batches.failed", "Hand-off batches a new owner did not acknowledge", HandoffStats::batchesFailed);
        Gauge.builder("ringcache.handoff.entries.pending", node, n -> n.handoffStats().entriesPending())
                .description("Entries this node still has to hand to new owners that have not acknowledged them")
                .register(registry);
        FunctionCounter.builder("ringcache.handoff.entries.received", node, n -> n.peerService().entriesHandedOverReceived())
                .description("Entries other nodes handed to this one").register(registry);
        FunctionCounter.builder("ringcache.handoff.entries.received.refused", node,
                        n -> n.peerService().entriesHandedOverRefused())
                .description("Entries handed to this node that it refused: its ring gives their keys to other members")
                .register(registry);
        for (Group group : node.groups().all()) {
            routing(registry, group, "peer.forwarded", "Requests sent to the key's owner on another node",
                    RoutingStats::forwarded);
            routing(registry, group, "peer.served", "Gets served for other nodes", RoutingStats::servedForPeers);
            routing(registry, group, "peer.unreachable", "Calls to a member that could not be reached",
                    RoutingStats::ownersUnreachable);
            routing(registry, group, "writes.outcome.unknown",
                    "Writes sent to a member that did not answer: failed as may or may not have been applied",
                    RoutingStats::writesOutcomeUnknown);
            routing(registry, group, "last.resort.loads", "Loads run here because no owner could be reached",
                    RoutingStats::lastResortLoads);
            routing(registry, group, "backup.failures", "Copies of writes a backup did not acknowledge",
                    RoutingStats::backupFailures);
            routing(registry, group, "backup.repaired", "Copies a backup missed, sent again and taken",
                    RoutingStats::backupCopiesRepaired);
            routing(registry, group, "backup.repairs.dropped",
                    "Copies a backup missed that will not be sent again: over the bound, or refused",
                    RoutingStats::backupRepairsDropped);
            Gauge.builder("ringcache.group.backup.repairs.pending", group, g -> g.routingStats().backupRepairsPending())
                    .description("Keys whose copy a backup missed, waiting to be sent to it again")
                    .tag("group", group.name()).register(registry);
            routing(registry, group, "hot.hits", "Reads answered from a copy of a hot key", RoutingStats::hotHits);
            routing(registry, group, "hot.invalidations.sent", "Invalidations of hot copies sent as owner",
                    RoutingStats::invalidationsSent);
            routing(registry, group, "hot.invalidations.received", "Invalidations of this node's hot copies",
                    RoutingStats::invalidationsReceived);
            Gauge.builder("ringcache.group.hot.copies", group, g -> g.routingStats().hotCopiesHeld())
                    .description("Copies of other owners' hot keys held here").tag("group", group.name())
                    .register(registry);
            routing(registry, group, "hints.delivered", "Writes made in an unreachable owner's place, delivered to it",
                    RoutingStats::hintsDelivered);
            routing(registry, group, "hints.dropped", "Writes made in an owner's place that will not reach it",
                    RoutingStats::hintsDropped);
            Gauge.builder("ringcache.group.hints.pending", group, g -> g.routingStats().hintsPending())
                    .description("Keys written in an unreachable owner's place, waiting for it").tag("group", group.name())
                    .register(registry);
        }
    }

    private void handoff(MeterRegistry registry, String name, String description, ToDoubleFunction<HandoffStats> read) {
        FunctionCounter.builder("ringcache.handoff." + name, node, n -> read.applyAsDouble(n.handoffStats()))
                .description(description).register(registry);
    }

    private static void routing(MeterRegistry registry, Group group, String name, String description,
                                ToDoubleFunction<RoutingStats> read) {
        FunctionCounter.builder("ringcache.group." + name, group, g -> read.applyAsDouble(g.routingStats()))
                .description(description).tag("group", group.name()).register(registry);
    }
}
