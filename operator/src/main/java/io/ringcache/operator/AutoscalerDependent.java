package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.AutoscalingSpec;
import io.ringcache.api.CacheCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * The HorizontalPodAutoscaler {@code <name>}, present only while autoscaling is enabled. It scales the
 * CacheCluster itself through its scale subresource, so the HPA writes {@code spec.replicas} and the
 * operator stays the only writer of the Deployment's replicas. It scales down slowly, one node at a time.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class AutoscalerDependent extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, CacheCluster> {

    /** How long the load must stay below target before the HPA removes a node (also Kubernetes' default). */
    static final int SCALE_DOWN_STABILIZATION_SECONDS = 300;
    /** The shortest time between two nodes removed by the HPA. */
    static final long MIN_SCALE_DOWN_PERIOD_SECONDS = 120;
    /** The longest period an HPA scaling policy accepts. */
    static final long MAX_PERIOD_SECONDS = 1800;

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
                .withBehavior(behavior(cluster))
            .endSpec()
            .build();
    }

    /**
     * The user's rule for each direction they give, else ours for scale-down and Kubernetes' defaults for scale-up:
     * a new node takes its keys over by hand-off and loses nothing, so scaling up may be as quick as the load asks.
     */
    private static HorizontalPodAutoscalerBehavior behavior(CacheCluster cluster) {
        HorizontalPodAutoscalerBehavior given = cluster.getSpec().getAutoscaling().getBehavior();
        return new HorizontalPodAutoscalerBehaviorBuilder()
            .withScaleUp(given != null ? given.getScaleUp() : null)
            .withScaleDown(given != null && given.getScaleDown() != null ? given.getScaleDown()
                : defaultScaleDown(cluster))
            .build();
    }

    /**
     * A node that leaves takes its share of the hot data with it, and the nodes that take its keys over start cold on
     * them. So the HPA scales down only after {@value #SCALE_DOWN_STABILIZATION_SECONDS} s below its target (a
     * short dip in load removes nothing) and then one node per period, a period no shorter than a node's termination
     * grace: each node has had its whole time to hand its entries off before the next one is told to go.
     */
    private static HPAScalingRules defaultScaleDown(CacheCluster cluster) {
        long period = Math.min(MAX_PERIOD_SECONDS,
            Math.max(MIN_SCALE_DOWN_PERIOD_SECONDS, ShutdownGrace.podSeconds(cluster.getSpec().getCache())));
        return new HPAScalingRulesBuilder()
            .withStabilizationWindowSeconds(SCALE_DOWN_STABILIZATION_SECONDS)
            .addNewPolicy().withType("Pods").withValue(1).withPeriodSeconds((int) period).endPolicy()
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
