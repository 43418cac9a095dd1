package io.ringcache.operator;

import io.ringcache.api.CacheCluster;
import java.util.regex.Pattern;

/** Names of the objects owned by a CacheCluster, derived from its name (and the node ConfigMap's from its content). */
final class ObjectNames {

    private ObjectNames() {
    }

    /**
     * The client Service, the Deployment, the HPA, the PodDisruptionBudget and the NetworkPolicy share the
     * cluster's name.
     */
    static String cluster(CacheCluster cluster) {
        return cluster.getMetadata().getName();
    }

    /** The headless Service whose EndpointSlices are the ring. */
    static String peers(CacheCluster cluster) {
        return cluster(cluster) + "-peers";
    }

    /** Hex digits of the configuration's SHA-256 in the node ConfigMap's name: 40 bits, no collision in practice. */
    static final int CONFIG_HASH_LENGTH = 10;

    /**
     * The node ConfigMap of the current spec: {@code <name>-config-<hash>}, named for its content, so that each
     * configuration has a ConfigMap of its own ({@link NodeConfigMapDependent}).
     */
    static String config(CacheCluster cluster) {
        return cluster(cluster) + "-config-" + NodeConfiguration.of(cluster).hash().substring(0, CONFIG_HASH_LENGTH);
    }

    /**
     * Whether {@code name} is one of the cluster's node ConfigMaps: one of {@link #config}'s names, or
     * {@code <name>-config}, the one ConfigMap operators before content-named ConfigMaps kept updating.
     */
    static boolean isConfig(CacheCluster cluster, String name) {
        return Pattern.matches(Pattern.quote(cluster(cluster) + "-config") + "(-[0-9a-f]{" + CONFIG_HASH_LENGTH + "})?",
            name);
    }

    /** The nodes' ServiceAccount, Role and RoleBinding. */
    static String node(CacheCluster cluster) {
        return cluster(cluster) + "-node";
    }
}
