package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ringcache.api.CacheCluster;

/** CacheClusters for tests, with the defaults the CRD schema would apply. */
final class Clusters {

    private Clusters() {
    }

    static CacheCluster named(String name) {
        CacheCluster cluster = new CacheCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withGeneration(1L).withUid("0b5e6c1e-0000-4000-8000-000000000001").build());
        return cluster;
    }
}
