package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.ringcache.api.CacheCluster;

/** The HPA exists while {@code spec.autoscaling.enabled}; when it is not met the workflow deletes it. */
public class AutoscalingEnabled implements Condition<HorizontalPodAutoscaler, CacheCluster> {

    @Override
    public boolean isMet(DependentResource<HorizontalPodAutoscaler, CacheCluster> dependent, CacheCluster cluster,
                         Context<CacheCluster> context) {
        return Boolean.TRUE.equals(cluster.getSpec().getAutoscaling().getEnabled());
    }
}
