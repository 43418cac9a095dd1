package io.ringcache.node.core;

import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Groups;
import io.ringcache.node.group.HttpOriginLoader;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.group.Loader;
import io.ringcache.node.resp.RespServer;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.ExpirySweeper;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One cache node as plain Java: its groups, their stores and loaders, and the sweeper that expires entries.
 * Quarkus wraps it (configuration, HTTP, health, metrics); tests and embedders start it directly.
 */
public final class CacheNode implements AutoCloseable {

    private static final Duration ORIGIN_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final NodeSettings settings;
    private final Groups groups;
    private final ExpirySweeper expirySweeper;
    /** The Redis protocol front end, or {@code null} when {@code ringcache.resp.enabled} is false. */
    private final RespServer respServer;

    private CacheNode(NodeSettings settings, Groups groups, ExpirySweeper expirySweeper, RespServer respServer) {
        this.settings = settings;
        this.groups = groups;
        this.expirySweeper = expirySweeper;
        this.respServer = respServer;
    }

    /** Builds every group of {@code settings} and starts expiring their entries. */
    public static CacheNode start(NodeSettings settings) {
        return start(settings, TimeSource.SYSTEM);
    }

    /** As {@link #start(NodeSettings)}, with the clock used for TTLs. */
    public static CacheNode start(NodeSettings settings, TimeSource time) {
        HttpClient originClient = HttpClient.newBuilder()
                .connectTimeout(ORIGIN_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        List<Group> groups = new ArrayList<>();
        ExpirySweeper sweeper = new ExpirySweeper(settings.expirySweepInterval());
        for (GroupSettings g : settings.groups()) {
            Store store = Stores.create(g.eviction(), g.maxBytes(), EntryCharge.BYTES, time);
            Loader loader = g.origin().map(url -> new HttpOriginLoader(originClient, url, g.loadTimeout())).orElse(null);
            groups.add(new Group(new LocalGroup(g, store, loader, settings.limits(), time)));
            sweeper.register(store);
        }
        Groups all = new Groups(groups);
        RespServer resp = null;
        if (settings.resp().enabled()) {
            try {
                resp = RespServer.start(settings.resp(), all.get(settings.resp().group()), settings.limits(), time);
            } catch (RuntimeException e) {
                sweeper.close();
                throw e;
            }
        }
        return new CacheNode(settings, all, sweeper, resp);
    }

    public NodeSettings settings() {
        return settings;
    }

    public Groups groups() {
        return groups;
    }

    /** The port the Redis protocol server listens on (useful after binding port 0), or -1 when it is disabled. */
    public int respPort() {
        return respServer == null ? -1 : respServer.port();
    }

    /** Stops the Redis protocol server and the expiry sweeper. Entries stay readable until the node is dropped. */
    @Override
    public void close() {
        if (respServer != null) {
            respServer.close();
        }
        expirySweeper.close();
    }
}
