package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheSpec;
import io.ringcache.api.GroupSpec;
import io.ringcache.api.HotKeysSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node configuration a CacheCluster asks for, rendered as the {@code application.properties} the node
 * reads (keys as in {@code docs/configuration.md}). Rendering is deterministic, so equal specs give equal
 * text and an equal {@link #hash()}.
 */
final class NodeConfiguration {

    /** The ConfigMap key, and the file name the node is pointed at. */
    static final String FILE_NAME = "application.properties";

    /** The group the Redis protocol serves when the spec configures no group of this name. */
    static final String DEFAULT_GROUP = "default";

    private final String properties;

    private NodeConfiguration(String properties) {
        this.properties = properties;
    }

    /** Renders the configuration of {@code cluster}'s nodes. */
    static NodeConfiguration of(CacheCluster cluster) {
        CacheSpec cache = cluster.getSpec().getCache();
        Map<String, String> keys = new LinkedHashMap<>();
        // The ports the Deployment's container ports and the Services name: stated so the two never disagree.
        keys.put("ringcache.peer-port", String.valueOf(ContainerPorts.PEER));
        keys.put("ringcache.resp.port", String.valueOf(ContainerPorts.RESP));
        keys.put("ringcache.resp.group", respGroup(cache));
        keys.put("ringcache.discovery", "kubernetes");
        keys.put("ringcache.discovery.service", ObjectNames.peers(cluster));
        keys.put("ringcache.shutdown.grace", ShutdownGrace.nodeSeconds(cache) + "s");
        keys.put("ringcache.backups", String.valueOf(cache.getBackups()));
        HotKeysSpec hotKeys = cache.getHotKeys();
        keys.put("ringcache.hot-keys.enabled", String.valueOf(hotKeys.getEnabled()));
        keys.put("ringcache.hot-keys.threshold", String.valueOf(hotKeys.getThreshold()));
        keys.put("ringcache.hot-keys.ttl", hotKeys.getTtl());
        for (GroupSpec group : groups(cache)) {
            String prefix = "ringcache.groups." + group.getName() + ".";
            keys.put(prefix + "max-bytes", String.valueOf(bytes(group.getMemory())));
            keys.put(prefix + "eviction", group.getEviction().configValue());
            if (group.getTtl() != null) {
                keys.put(prefix + "ttl", group.getTtl());
            }
            if (group.getOrigin() != null) {
                keys.put(prefix + "origin", group.getOrigin());
            }
        }
        StringBuilder text = new StringBuilder("# Rendered by ringcache-operator from CacheCluster ")
            .append(cluster.getMetadata().getName()).append("; edits are overwritten.\n");
        keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return new NodeConfiguration(text.toString());
    }

    /** The configured groups, or the single group {@code default} holding all of the cache memory. */
    static List<GroupSpec> groups(CacheSpec cache) {
        if (cache.getGroups() == null || cache.getGroups().isEmpty()) {
            return List.of(new GroupSpec(DEFAULT_GROUP, cache.getMemory()));
        }
        return cache.getGroups();
    }

    /**
     * The group Redis commands act on: {@code default} when it exists, else the first configured group. The node
     * refuses to start when {@code ringcache.resp.group} names a group it does not have.
     */
    static String respGroup(CacheSpec cache) {
        List<GroupSpec> groups = groups(cache);
        return groups.stream().map(GroupSpec::getName).filter(DEFAULT_GROUP::equals).findFirst()
            .orElse(groups.get(0).getName());
    }

    /**
     * Bytes of a Kubernetes quantity. Rendered as plain bytes because the node reads {@code G} as 2^30
     * while Kubernetes reads it as 10^9: a number cannot be misread.
     */
    static long bytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
    }

    /** The {@code application.properties} text. */
    String properties() {
        return properties;
    }

    /** SHA-256 of {@link #properties()}, hex: changes exactly when the rendered configuration does. */
    String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(properties.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
