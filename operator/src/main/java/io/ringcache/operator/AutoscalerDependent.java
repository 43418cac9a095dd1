package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.ringcache.api.AutoscalingSpec;
import io.ringcache.api.CacheCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * The HorizontalPodAutoscaler {@code <name>}, present only while autoscaling is enabled. It scales the
 * CacheCluster itself through its scale subresource, so the HPA writes {@code spec.replicas} and the
 * operator stays the only writer of the Deployment's replicas.
 */
public class AutoscalerDependent extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, CacheCluster> {

    public AutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(CacheCluster cluster, Context<CacheCluster> context) {
        AutoscalingSpec autoscaling = cluster.getSpec().getAutoscaling();
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(utilization("cpu", autoscaling.getTargetCPUUtilizationPercentage()));
        if (autoscaling.getTargetMemoryUtilizationPercentage() != null) {
            metrics.add(utilization("memory", autoscaling.getTargetMemoryUtilizationPercentage()));
        }
        return new HorizontalPodAutoscalerBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.cluster(cluster)))
            .withNewSpec()
                .withNewScaleTargetRef()
                    .withApiVersion(cluster.getApiVersion())
                    .withKind(cluster.getKind())
                    .withName(cluster.getMetadata().getName())
                .endScaleTargetRef()
                .withMinReplicas(autoscaling.getMinReplicas())
                .withMaxReplicas(autoscaling.getMaxReplicas())
                .withMetrics(metrics)
            .endSpec()
            .build();
    }

    private static MetricSpec utilization(String resource, int percent) {
        return new MetricSpecBuilder()
            .withType("Resource")
            .withNewResource()
                .withName(resource)
                .withNewTarget()
                    .withType("Utilization")
                    .withAverageUtilization(percent)
                .endTarget()
            .endResource()
            .build();
    }
}
