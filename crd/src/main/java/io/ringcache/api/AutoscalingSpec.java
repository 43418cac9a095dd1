package io.ringcache.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

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
    private Integer minReplicas = 2;

    @Default("10")
    @Min(1)
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
}
