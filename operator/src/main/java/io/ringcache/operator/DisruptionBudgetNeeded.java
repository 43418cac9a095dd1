package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.ringcache.api.CacheCluster;

/**
 * The PodDisruptionBudget exists while the cluster has at least two nodes: with one node a budget of one
 * unavailable would let a drain empty the cache anyway, and a budget of zero would block the drain forever.
 */
public class DisruptionBudgetNeeded implements Condition<PodDisruptionBudget, CacheCluster> {

    static final int MIN_REPLICAS = 2;

    @Override
    public boolean isMet(DependentResource<PodDisruptionBudget, CacheCluster> dependent, CacheCluster cluster,
                         Context<CacheCluster> context) {
        return cluster.getSpec().getReplicas() >= MIN_REPLICAS;
    }
}
