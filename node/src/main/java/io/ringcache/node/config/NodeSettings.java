package io.ringcache.node.config;

import io.ringcache.node.discovery.DiscoverySettings;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Limits;
import io.ringcache.node.handoff.HandoffSettings;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerSettings;
import io.ringcache.node.resp.RespSettings;
import io.ringcache.node.ring.RingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node is configured with, already checked. Built by {@link NodeSettingsParser} from
 * configuration, or directly by tests and embedders.
 *
 * @param limits key and value size limits
 * @param groups the groups, in configuration order; never empty
 * @param expirySweepInterval how often expired entries are removed from every store
 * @param peer this node's peer endpoint and how it calls peers
 * @param ring how the hash ring is built
 * @param backups how many further distinct members hold a copy of each key (0-2)
 * @param hotKeys hot-key detection and copies
 * @param handoff moving entries to new owners after a ring change
 * @param discovery where the ring's members come from
 * @param shutdownGrace how long a stopping node may spend leaving the ring and handing entries off
 * @param resp the Redis protocol front end
 */
public record NodeSettings(Limits limits, List<GroupSettings> groups, Duration expirySweepInterval, PeerSettings peer,
                           RingSettings ring, int backups, HotKeySettings hotKeys, HandoffSettings handoff,
                           DiscoverySettings discovery, Duration shutdownGrace, RespSettings resp) {

    public static final Duration DEFAULT_EXPIRY_SWEEP_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);
    public static final int MAX_BACKUPS = 2;

    public NodeSettings {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one group");
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(expirySweepInterval, "expirySweepInterval");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(hotKeys, "hotKeys");
        Objects.requireNonNull(handoff, "handoff");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(resp, "resp");
        if (backups < 0 || backups > MAX_BACKUPS) {
            throw new IllegalArgumentException("backups must be 0-" + MAX_BACKUPS + ", was " + backups);
        }
    }

    /**
     * A node with no configuration: one group {@code default} of 64 MiB with {@code tinylfu}, default limits,
     * peer port 7100 and RESP port 6379 on every interface, no backups, hot keys on, discovery {@code auto}.
     */
    public static NodeSettings defaults() {
        return new NodeSettings(Limits.DEFAULTS, List.of(GroupSettings.defaults(GroupSettings.DEFAULT_NAME)),
                DEFAULT_EXPIRY_SWEEP_INTERVAL, PeerSettings.defaults("0.0.0.0", PeerSettings.DEFAULT_PORT),
                RingSettings.DEFAULTS, 0, HotKeySettings.DEFAULTS, HandoffSettings.DEFAULTS,
                DiscoverySettings.DEFAULTS, DEFAULT_SHUTDOWN_GRACE,
                RespSettings.defaults("0.0.0.0", RespSettings.DEFAULT_PORT));
    }
}
