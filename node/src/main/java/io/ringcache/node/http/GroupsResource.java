package io.ringcache.node.http;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.config.Durations;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.GroupStats;
import io.ringcache.node.store.StoreStats;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code GET /v1/groups}: every group's configuration and counters on this node. */
@Path("/v1/groups")
@NonBlocking
public class GroupsResource {

    private final CacheNode node;

    public GroupsResource(CacheNode node) {
        this.node = node;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public GroupList list() {
        return new GroupList(node.groups().all().stream().map(GroupsResource::view).toList());
    }

    /** The methods {@code /v1/groups} takes, under its path template ({@link AllowedMethods#options}). */
    @OPTIONS
    public Response options() {
        return AllowedMethods.options(AllowedMethods.READ_ONLY);
    }

    private static GroupView view(Group group) {
        GroupSettings s = group.settings();
        GroupStats g = group.stats();
        StoreStats st = g.store();
        return new GroupView(s.name(), s.maxBytes(), s.eviction().configName(),
                s.defaultTtl().map(Durations::format).orElse(null), s.origin().orElse(null),
                Durations.format(s.loadTimeout()),
                new StatsView(g.gets(), g.hits(), g.misses(), g.loads(), g.loadErrors(), g.loadsDeduped(),
                        st.puts(), st.evictions(), st.expirations(), st.charge(), st.entries()));
    }

    /** The response body: {@code {"groups": [...]}}, an object so fields can be added later. */
    @RegisterForReflection
    public record GroupList(List<GroupView> groups) {
    }

    /** One group: its configuration, then its counters. {@code ttl} and {@code origin} are null when unset. */
    @RegisterForReflection
    public record GroupView(String name, long maxBytes, String eviction, String ttl, String origin,
                            String loadTimeout, StatsView stats) {
    }

    /** Counters; {@code bytes} is the charge held (key + value + per-entry overhead). */
    @RegisterForReflection
    public record StatsView(long gets, long hits, long misses, long loads, long loadErrors, long loadsDeduped,
                            long puts, long evictions, long expirations, long bytes, long entries) {
    }
}
