package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.ringcache.api.CacheCluster;

/** The NetworkPolicy exists while {@code spec.networkPolicy.enabled}; when it is not met the workflow deletes it. */
public class NetworkPolicyEnabled implements Condition<NetworkPolicy, CacheCluster> {

    @Override
    public boolean isMet(DependentResource<NetworkPolicy, CacheCluster> dependent, CacheCluster cluster,
                         Context<CacheCluster> context) {
        return Boolean.TRUE.equals(cluster.getSpec().getNetworkPolicy().getEnabled());
    }
}
