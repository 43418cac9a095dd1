package io.ringcache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** What the user asks for: how many nodes, how they run, how their memory is split, how clients reach them. */
// Kubernetes takes a container's limit as its request when no request is set, so either one gives the HPA its base.
@ValidationRule(value = "!has(self.autoscaling) || !self.autoscaling.enabled || (has(self.resources)"
    + " && ((has(self.resources.requests) && 'cpu' in self.resources.requests)"
    + " || (has(self.resources.limits) && 'cpu' in self.resources.limits)))",
    message = "autoscaling measures CPU utilization against the CPU request: set spec.resources.requests.cpu"
        + " (or a CPU limit, which then serves as the request) or turn autoscaling off")
@ValidationRule(value = "!has(self.autoscaling) || !self.autoscaling.enabled"
    + " || !has(self.autoscaling.targetMemoryUtilizationPercentage) || (has(self.resources)"
    + " && ((has(self.resources.requests) && 'memory' in self.resources.requests)"
    + " || (has(self.resources.limits) && 'memory' in self.resources.limits)))",
    message = "autoscaling on memory measures memory utilization against the memory request: set"
        + " spec.resources.requests.memory (or a memory limit, which then serves as the request), remove"
        + " autoscaling.targetMemoryUtilizationPercentage or turn autoscaling off")
public class CacheClusterSpec {

    /** Number of cache nodes; the scale subresource and the HPA write this field. */
    @SpecReplicas
    @PrinterColumn(name = "Replicas")
    @Default("3")
    @Min(0)
    @Max(Integer.MAX_VALUE)
    private Integer replicas = 3;

    /** Node image; without it the operator's configured default image is used. */
    private String image;

    @Pattern("^(Always|IfNotPresent|Never)$")
    private String imagePullPolicy;

    /**
     * Requests and limits of the node container; autoscaling needs a CPU request, and a memory request when it
     * also scales on memory (a limit without a request serves as the request). A memory limit must leave the
     * node's heap room for its cache.
     */
    @JsonPropertyDescription("Requests and limits of the node container. Autoscaling needs a CPU request, and a"
        + " memory request when it also scales on memory (a limit without a request serves as the request). A memory"
        + " limit must give the node a heap that holds cache.memory, 1/8 more for hot-key copies while hot keys are"
        + " on, and 64Mi for the node's own work. The heap is 75% of the limit (the node image's"
        + " -XX:MaxRAMPercentage=75.0), or what jvmOptions (or a JAVA_OPTS in env) set: -Xmx, which must leave 128Mi"
        + " of the limit to the JVM, or -XX:MaxRAMPercentage, else the JVM's default of 25%. The operator refuses a"
        + " spec that does not fit (InvalidSpec).")
    private ResourceRequirements resources;

    /** Extra environment variables of the node container. */
    private List<EnvVar> env;

    /**
     * JVM options, passed to the node container as {@code JAVA_OPTS}: only a JVM image reads it (replacing the
     * image's own default), the default native image ignores it.
     */
    @JsonPropertyDescription("JVM options of the node, joined with spaces into the JAVA_OPTS environment variable."
        + " Only a JVM node image (Dockerfile.node --target jvm) reads JAVA_OPTS, and these options replace its"
        + " default (-XX:MaxRAMPercentage=75.0 -XX:+UseTransparentHugePages); the default native image ignores them.")
    private List<String> jvmOptions;

    @Default("{}")
    private CacheSpec cache = new CacheSpec();

    @Default("{}")
    private ServiceSpec service = new ServiceSpec();

    @Default("{}")
    private AutoscalingSpec autoscaling = new AutoscalingSpec();

    @Default("{}")
    private DisruptionBudgetSpec disruptionBudget = new DisruptionBudgetSpec();

    @Default("{}")
    private NetworkPolicySpec networkPolicy = new NetworkPolicySpec();

    /** Where nodes may run; without any of it nodes prefer distinct hosts. */
    private SchedulingSpec scheduling;

    private Map<String, String> podAnnotations;

    private Map<String, String> podLabels;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(String imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<String> getJvmOptions() {
        return jvmOptions;
    }

    public void setJvmOptions(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    public CacheSpec getCache() {
        return cache;
    }

    public void setCache(CacheSpec cache) {
        this.cache = cache;
    }

    public ServiceSpec getService() {
        return service;
    }

    public void setService(ServiceSpec service) {
        this.service = service;
    }

    public AutoscalingSpec getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(AutoscalingSpec autoscaling) {
        this.autoscaling = autoscaling;
    }

    public DisruptionBudgetSpec getDisruptionBudget() {
        return disruptionBudget;
    }

    public void setDisruptionBudget(DisruptionBudgetSpec disruptionBudget) {
        this.disruptionBudget = disruptionBudget;
    }

    public NetworkPolicySpec getNetworkPolicy() {
        return networkPolicy;
    }

    public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
        this.networkPolicy = networkPolicy;
    }

    public SchedulingSpec getScheduling() {
        return scheduling;
    }

    public void setScheduling(SchedulingSpec scheduling) {
        this.scheduling = scheduling;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }

    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    public void setPodLabels(Map<String, String> podLabels) {
        this.podLabels = podLabels;
    }
}
