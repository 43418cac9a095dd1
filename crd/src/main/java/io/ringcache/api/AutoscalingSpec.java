package io.ringcache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/**
 * A HorizontalPodAutoscaler that scales the CacheCluster itself (through its scale subresource), so it
 * writes {@code spec.replicas} like {@code kubectl scale} does.
 */
@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas")
public class AutoscalingSpec {

    @Default("false")
    private Boolean enabled = false;

    @Default("2")
    @Min(1)
    @Max(Integer.MAX_VALUE)
    private Integer minReplicas = 2;

    @Default("10")
    @Min(1)
    @Max(Integer.MAX_VALUE)
    private Integer maxReplicas = 10;

    @Default("80")
    @Min(1)
    @Max(100)
    private Integer targetCPUUtilizationPercentage = 80;

    /**
     * Also scale on memory when set; cache memory fills up by design, so this is rarely wanted. Needs a memory
     * request ({@code spec.resources.requests.memory}, or a memory limit): utilization is measured against it.
     */
    @Min(1)
    @Max(100)
    private Integer targetMemoryUtilizationPercentage;

    /**
     * How fast the HPA scales, as a HorizontalPodAutoscaler's {@code spec.behavior}; each direction given replaces
     * the operator's default for it.
     */
    @JsonPropertyDescription("How fast the HPA scales, as in a HorizontalPodAutoscaler's spec.behavior. A scaleUp or"
        + " scaleDown given here replaces the operator's default for that direction. By default a scale-down removes"
        + " at most one node per 120 s (or per the nodes' termination grace period, when longer, at most 1800 s), after"
        + " 300 s below target: a node that leaves takes its share of the hot data with it. Scale-up follows"
        + " Kubernetes' defaults.")
    private HorizontalPodAutoscalerBehavior behavior;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetCPUUtilizationPercentage() {
        return targetCPUUtilizationPercentage;
    }

    public void setTargetCPUUtilizationPercentage(Integer targetCPUUtilizationPercentage) {
        this.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage;
    }

    public Integer getTargetMemoryUtilizationPercentage() {
        return targetMemoryUtilizationPercentage;
    }

    public void setTargetMemoryUtilizationPercentage(Integer targetMemoryUtilizationPercentage) {
        this.targetMemoryUtilizationPercentage = targetMemoryUtilizationPercentage;
    }

    public HorizontalPodAutoscalerBehavior getBehavior() {
        return behavior;
    }

    public void setBehavior(HorizontalPodAutoscalerBehavior behavior) {
        this.behavior = behavior;
    }
}
