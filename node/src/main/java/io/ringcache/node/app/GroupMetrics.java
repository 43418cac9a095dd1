package io.ringcache.node.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupStats;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Per-group Prometheus metrics, read from the groups' own counters when scraped (nothing is counted twice):
 * {@code ringcache_group_gets_total}, {@code _hits_total}, {@code _misses_total}, {@code _loads_total},
 * {@code _load_errors_total}, {@code _evictions_total}, {@code _expirations_total}, and the gauges
 * {@code ringcache_group_bytes} and {@code ringcache_group_entries}, each tagged {@code group}.
 */
@Singleton
public class GroupMetrics implements MeterBinder {

    private final CacheNode node;

    public GroupMetrics(CacheNode node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Group group : node.groups().all()) {
            counter(registry, group, "gets", "Reads asked of the group", GroupStats::gets);
            counter(registry, group, "hits", "Reads answered from memory", GroupStats::hits);
            counter(registry, group, "misses", "Reads memory could not answer", GroupStats::misses);
            counter(registry, group, "loads", "Loader calls started", GroupStats::loads);
            counter(registry, group, "load.errors", "Loads that failed or timed out", GroupStats::loadErrors);
            counter(registry, group, "evictions", "Entries removed to make room", s -> s.store().evictions());
            counter(registry, group, "expirations", "Entries removed when their TTL passed", s -> s.store().expirations());
            Gauge.builder("ringcache.group.bytes", group, g -> g.stats().store().charge())
                    .description("Bytes held: keys, values and per-entry overhead").baseUnit("bytes")
                    .tag("group", group.name()).register(registry);
            Gauge.builder("ringcache.group.entries", group, g -> g.stats().store().entries())
                    .description("Entries held").tag("group", group.name()).register(registry);
        }
    }

    private static void counter(MeterRegistry registry, Group group, String name, String description,
                                ToDoubleFunction<GroupStats> read) {
        FunctionCounter.builder("ringcache.group." + name, group, g -> read.applyAsDouble(g.stats()))
                .description(description).tag("group", group.name()).register(registry);
    }
}
