package io.ringcache.node.config;

import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Limits;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is configured with, already checked. Built by {@link NodeSettingsParser} from
 * configuration, or directly by tests and embedders.
 *
 * @param limits key and value size limits
 * @param groups the groups, in configuration order; never empty
 * @param expirySweepInterval how often expired entries are removed from every store
 */
public record NodeSettings(Limits limits, List<GroupSettings> groups, Duration expirySweepInterval) {

    public static final Duration DEFAULT_EXPIRY_SWEEP_INTERVAL = Duration.ofSeconds(1);

    public NodeSettings {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one group");
        }
    }

    /** One group {@code default} of 64 MiB with {@code tinylfu}, default limits: a node with no configuration. */
    public static NodeSettings defaults() {
        return new NodeSettings(Limits.DEFAULTS, List.of(GroupSettings.defaults(GroupSettings.DEFAULT_NAME)),
                DEFAULT_EXPIRY_SWEEP_INTERVAL);
    }
}
