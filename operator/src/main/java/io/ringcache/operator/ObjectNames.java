package io.ringcache.operator;

import io.ringcache.api.CacheCluster;

/** Names of the objects owned by a CacheCluster, derived from its name. */
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

    static String config(CacheCluster cluster) {
        return cluster(cluster) + "-config";
    }

    /** The nodes' ServiceAccount, Role and RoleBinding. */
    static String node(CacheCluster cluster) {
        return cluster(cluster) + "-node";
    }
}
