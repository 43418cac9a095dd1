package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterSpec;
import io.ringcache.api.GroupSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A spec is applied only when nothing is wrong with it; each problem names the field and the fix. */
class SpecCheckTest {

    final CacheClusterSpec spec = Clusters.named("sessions").getSpec();

    List<String> problems() {
        return SpecCheck.problems(spec);
    }

    void request(String resource, String quantity) {
        if (spec.getResources() == null) {
            spec.setResources(new ResourceRequirements());
        }
        if (spec.getResources().getRequests() == null) {
            spec.getResources().setRequests(new HashMap<>());
        }
        spec.getResources().getRequests().put(resource, new Quantity(quantity));
    }

    void limit(String resource, String quantity) {
        if (spec.getResources() == null) {
            spec.setResources(new ResourceRequirements());
        }
        if (spec.getResources().getLimits() == null) {
            spec.getResources().setLimits(new HashMap<>());
        }
        spec.getResources().getLimits().put(resource, new Quantity(quantity));
    }

    @Test
    void aNameThatCannotNameAServiceIsAProblem() {
        assertThat(SpecCheck.problems(Clusters.named("sessions"))).isEmpty();
        assertThat(SpecCheck.problems(Clusters.named("a".repeat(SpecCheck.MAX_NAME_LENGTH)))).isEmpty();
        for (String name : List.of("2024-sessions", "web.sessions", "a".repeat(SpecCheck.MAX_NAME_LENGTH + 1),
                "sessions-")) {
            assertThat(SpecCheck.problems(Clusters.named(name))).as(name).singleElement().asString()
                .startsWith("metadata.name: '" + name + "' cannot name the cluster's Services")
                .contains("at most 57 lowercase letters");
        }
    }

    @Test
    void defaultsHaveNoProblem() {
        assertThat(problems()).isEmpty();
    }

    /** What users apply as it is must run: among others, the autoscaling example carries the requests it needs. */
    @Test
    void everyExampleHasNoProblem() throws IOException {
        Path examples = Path.of(System.getProperty("ringcache.repo.dir", "..")).resolve("examples");
        try (Stream<Path> files = Files.list(examples)) {
            List<Path> manifests = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            assertThat(manifests).isNotEmpty().allSatisfy(file -> assertThat(
                SpecCheck.problems(Serialization.unmarshal(Files.readString(file), CacheCluster.class).getSpec()))
                .as("problems of %s", file.getFileName()).isEmpty());
        }
    }

    @Test
    void wellFormedGroupsAndDurationsHaveNoProblem() {
        GroupSpec sessions = new GroupSpec("sessions", "1G");
        sessions.setTtl("106751d");
        spec.getCache().setMemory("2Gi");
        spec.getCache().setGroups(List.of(sessions, new GroupSpec("products", "512Mi")));
        spec.getCache().getHotKeys().setTtl("500ms");
        spec.setReplicas(0);
        assertThat(problems()).isEmpty();
    }

    @Test
    void negativeReplicasAreRefused() {
        spec.setReplicas(-1);
        assertThat(problems()).containsExactly("spec.replicas: -1 is not a number of nodes; use 0 or more");
    }

    @Test
    void memoryMustBeAPositiveWholeNumberOfBytes() {
        spec.getCache().setMemory("100m");
        assertThat(problems()).containsExactly(
            "spec.cache.memory: '100m' is not a whole number of bytes; use a quantity such as 512Mi or 2Gi");
        spec.getCache().setMemory("0");
        assertThat(problems()).containsExactly(
            "spec.cache.memory: '0' is not more than zero; use a quantity such as 512Mi or 2Gi");
        spec.getCache().setMemory("-1Gi");
        assertThat(problems()).singleElement().asString().contains("is not more than zero");
        spec.getCache().setMemory("64X");
        assertThat(problems()).singleElement().asString().contains("'64X' is not a quantity");
        spec.getCache().setMemory("100Ei");
        assertThat(problems()).singleElement().asString().contains("'100Ei' is too large");
    }

    @Test
    void groupsMustHaveUniqueNamesAndFitTheCacheMemory() {
        spec.getCache().setMemory("100Mi");
        spec.getCache().setGroups(List.of(new GroupSpec("a", "64Mi"), new GroupSpec("a", "64Mi"),
            new GroupSpec("b", "0.5")));
        assertThat(problems()).containsExactly(
            "spec.cache.groups[1].name: 'a' is the name of an earlier group; names must be unique",
            "spec.cache.groups[2].memory: '0.5' is not a whole number of bytes; use a quantity such as 512Mi or 2Gi");
        spec.getCache().setGroups(List.of(new GroupSpec("a", "64Mi"), new GroupSpec("b", "64Mi")));
        assertThat(problems()).containsExactly("spec.cache.groups: the groups' memory adds up to 134217728 bytes,"
            + " more than cache.memory (104857600); lower a group's memory or raise cache.memory");
    }

    /** The node refuses a zero TTL and one too long for its clocks, so its pods would never start. */
    @Test
    void durationsMustBePositiveAndWithinWhatTheNodeAccepts() {
        spec.getCache().getHotKeys().setTtl("0s");
        GroupSpec group = new GroupSpec("default", "64Mi");
        group.setTtl("106752d");
        spec.getCache().setGroups(List.of(group));
        assertThat(problems()).containsExactly(
            "spec.cache.hotKeys.ttl: '0s' must be longer than zero",
            "spec.cache.groups[0].ttl: '106752d' is too long; use at most 106751d");
        spec.getCache().getHotKeys().setTtl("5 s");
        assertThat(problems()).first().asString().contains("'5 s' is not a duration");
    }

    /**
     * The node refuses to start with an origin that is not an absolute http(s) URL with a {key} placeholder, and
     * every running node that restarts would read the same ConfigMap. It reads its configuration with
     * {@code ${...}} expanded, so "${key}" names a setting that is not set and stops it too.
     */
    @Test
    void originMustBeATemplateTheNodeAccepts() {
        GroupSpec products = new GroupSpec("products", "64Mi");
        spec.getCache().setGroups(List.of(products));
        products.setOrigin("https://catalog.shop.svc:8443/products/{key}?fields=$all");
        assertThat(problems()).isEmpty();
        products.setOrigin("http://catalog/products/{key} ");
        assertThat(problems()).as("the node trims what it reads").isEmpty();

        products.setOrigin("http://catalog/products/${key}");
        assertThat(problems()).containsExactly("spec.cache.groups[0].origin: 'http://catalog/products/${key}'"
            + " contains '${', which the node's configuration expands; write the placeholder as {key}");
        products.setOrigin("http://catalog/products/item");
        assertThat(problems()).containsExactly("spec.cache.groups[0].origin: 'http://catalog/products/item' has no"
            + " {key} placeholder; write e.g. http://catalog:8080/products/{key}");
        products.setOrigin("http://catalog/my products/{key}");
        assertThat(problems()).singleElement().asString()
            .startsWith("spec.cache.groups[0].origin: 'http://catalog/my products/{key}' is not a URL (");
        products.setOrigin("http:///products/{key}");
        assertThat(problems()).containsExactly("spec.cache.groups[0].origin: 'http:///products/{key}' is not an"
            + " absolute http or https URL; write e.g. http://catalog:8080/products/{key}");
        // A key must not choose the machine the nodes fetch from, nor hide in the fragment no request carries.
        for (String outside : List.of("http://{key}.catalog/products", "http://catalog:{key}/p",
            "http://user{key}@catalog/p", "http://catalog/products#{key}")) {
            products.setOrigin(outside);
            assertThat(problems()).containsExactly("spec.cache.groups[0].origin: '" + outside + "' has {key} outside"
                + " its path and query; write e.g. http://catalog:8080/products/{key}");
        }
        for (String port : List.of("0", "65536", "80800")) {
            String origin = "http://catalog:" + port + "/products/{key}";
            products.setOrigin(origin);
            assertThat(problems()).containsExactly("spec.cache.groups[0].origin: '" + origin + "' has port " + port
                + "; use a port from 1 to 65535");
        }
        products.setOrigin("http://catalog:65535/products?id={key}");
        assertThat(problems()).isEmpty();
    }

    @Test
    void autoscalingMinimumMayNotExceedItsMaximum() {
        request("cpu", "500m");
        spec.getAutoscaling().setMinReplicas(5);
        spec.getAutoscaling().setMaxReplicas(3);
        assertThat(problems()).as("only while autoscaling is on").isEmpty();
        spec.getAutoscaling().setEnabled(true);
        assertThat(problems()).containsExactly("spec.autoscaling: minReplicas 5 is greater than maxReplicas 3");
    }

    /** The HPA always scales on CPU, measured against the request: without one it never computes a utilization. */
    @Test
    void autoscalingNeedsACpuRequest() {
        spec.getAutoscaling().setEnabled(true);
        assertThat(problems()).containsExactly("spec.resources.requests.cpu: autoscaling measures CPU utilization"
            + " against the CPU request; set spec.resources.requests.cpu (or a CPU limit, which then serves as the"
            + " request) or turn autoscaling off");
        spec.setResources(new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build());
        assertThat(problems()).as("another resource's limit").hasSize(1);
        request("cpu", "500m");
        assertThat(problems()).isEmpty();
    }

    /** Kubernetes admits a container with a limit and no request as requesting its limit: the HPA has its base. */
    @Test
    void aLimitWithoutARequestServesAsTheRequest() {
        spec.getAutoscaling().setEnabled(true);
        spec.getAutoscaling().setTargetMemoryUtilizationPercentage(90);
        spec.setResources(new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("1"))
            .addToLimits("memory", new Quantity("1Gi")).build());
        assertThat(problems()).isEmpty();
    }

    @Test
    void memoryAutoscalingNeedsAMemoryRequest() {
        spec.getAutoscaling().setEnabled(true);
        spec.getAutoscaling().setTargetMemoryUtilizationPercentage(90);
        request("cpu", "500m");
        assertThat(problems()).containsExactly("spec.resources.requests.memory: autoscaling on memory measures memory"
            + " utilization against the memory request; set spec.resources.requests.memory (or a memory limit, which"
            + " then serves as the request), remove"
            + " spec.autoscaling.targetMemoryUtilizationPercentage or turn autoscaling off");
        request("memory", "1Gi");
        assertThat(problems()).isEmpty();
    }

    /**
     * The schema takes any HorizontalPodAutoscaler behavior; the API server refuses an HPA with a policy type, a
     * period or a window it does not know, after the workflow has written the rest of the edit.
     */
    @Test
    void autoscalingBehaviorMustBeOneTheAutoscalerTakes() {
        spec.getAutoscaling().setEnabled(true);
        request("cpu", "500m");
        spec.getAutoscaling().setBehavior(new HorizontalPodAutoscalerBehaviorBuilder()
            .withNewScaleDown()
                .withStabilizationWindowSeconds(7200).withSelectPolicy("max")
                .addNewPolicy().withType("pods").withValue(0).withPeriodSeconds(3600).endPolicy()
            .endScaleDown()
            .withNewScaleUp()
                .withStabilizationWindowSeconds(-1)
                .addNewPolicy().withType("Percent").withValue(100).withPeriodSeconds(0).endPolicy()
            .endScaleUp()
            .build());
        assertThat(problems()).containsExactly(
            "spec.autoscaling.behavior.scaleUp.stabilizationWindowSeconds: -1 is not from 0 to 3600",
            "spec.autoscaling.behavior.scaleUp.policies[0].periodSeconds: 0 is not from 1 to 1800",
            "spec.autoscaling.behavior.scaleDown.stabilizationWindowSeconds: 7200 is not from 0 to 3600",
            "spec.autoscaling.behavior.scaleDown.selectPolicy: 'max' is not one of Max, Min, Disabled",
            "spec.autoscaling.behavior.scaleDown.policies[0].type: 'pods' is not one of Pods, Percent",
            "spec.autoscaling.behavior.scaleDown.policies[0].value: 0 is not above zero",
            "spec.autoscaling.behavior.scaleDown.policies[0].periodSeconds: 3600 is not from 1 to 1800");
        spec.getAutoscaling().setBehavior(new HorizontalPodAutoscalerBehaviorBuilder()
            .withNewScaleDown()
                .withStabilizationWindowSeconds(3600).withSelectPolicy("Disabled")
                .addNewPolicy().withType("Pods").withValue(1).withPeriodSeconds(1800).endPolicy()
            .endScaleDown()
            .withNewScaleUp().withStabilizationWindowSeconds(0).endScaleUp()
            .build());
        assertThat(problems()).isEmpty();
    }

    @Test
    void resourceRequestsAreNotNeededWhileAutoscalingIsOff() {
        spec.getAutoscaling().setTargetMemoryUtilizationPercentage(90);
        assertThat(problems()).isEmpty();
    }

    /**
     * The API server refuses a Deployment whose container requests more than its limit; by then the workflow has
     * written the ConfigMap (and the HPA, PDB, NetworkPolicy), so the edit would be half-applied.
     */
    @Test
    void aRequestMayNotExceedItsLimit() {
        spec.setResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("1500m")).addToLimits("cpu", new Quantity("1"))
            .addToRequests("memory", new Quantity("1Gi")).addToLimits("memory", new Quantity("1024Mi"))
            .addToLimits("ephemeral-storage", new Quantity("1Gi")).build());
        assertThat(problems()).containsExactly("spec.resources.requests.cpu: 1500m is more than the limit, 1;"
            + " Kubernetes refuses such a container: lower the request or raise the limit");
        spec.getResources().getLimits().put("cpu", new Quantity("2"));
        assertThat(problems()).isEmpty();
    }

    /**
     * The CRD takes any string as a resource quantity; the API server refuses the Deployment of one it cannot read,
     * or of a negative one, after the workflow has written the rest of the edit.
     */
    @Test
    void resourceQuantitiesMustBeOnesKubernetesReads() {
        limit("memory", "1GB");
        request("cpu", "-1");
        request("memory", "banana");
        limit("cpu", "1.5");
        assertThat(problems()).containsExactlyInAnyOrder(
            "spec.resources.requests.cpu: '-1' is negative; use 0 or more",
            "spec.resources.requests.memory: 'banana' is not a Kubernetes quantity; write e.g. 512Mi, 2Gi, 500m or 1.5",
            "spec.resources.limits.memory: '1GB' is not a Kubernetes quantity; write e.g. 512Mi, 2Gi, 500m or 1.5");
        request("memory", "2Gi");
        assertThat(problems()).as("no comparison with a limit that cannot be read").contains(
            "spec.resources.limits.memory: '1GB' is not a Kubernetes quantity; write e.g. 512Mi, 2Gi, 500m or 1.5")
            .noneMatch(problem -> problem.contains("more than the limit"));
        limit("memory", "1G");
        request("cpu", "+500m");
        request("memory", "1e9");
        assertThat(problems()).isEmpty();
    }

    /**
     * A container's resource claim names one of its pod's resourceClaims, and the operator gives the node pods none:
     * the API server refuses the Deployment of any claim, or drops it unseen where dynamic resource allocation is off.
     */
    @Test
    void resourceClaimsAreRefusedSinceTheNodePodsHaveNone() {
        spec.setResources(new ResourceRequirementsBuilder().addNewClaim().withName("gpu").endClaim().build());
        assertThat(problems()).containsExactly("spec.resources.claims: the node pods have no resourceClaims for a"
            + " claim to name; remove spec.resources.claims");
    }

    /**
     * The cache lives in the node's heap, which the JVM image sizes at 75% of the container's memory limit: the
     * cache, its hot-key copies (1/8 more) and the node's own 64Mi must fit there, or the node runs out of memory.
     */
    @Test
    void aMemoryLimitMustGiveTheHeapRoomForTheCache() {
        spec.getCache().setMemory("512Mi");
        limit("memory", "768Mi");
        assertThat(problems()).containsExactly("spec.resources.limits.memory: 768Mi gives the node a 576Mi heap (75%"
            + " of the limit, the node image's -XX:MaxRAMPercentage=75.0), too small for 512Mi of cache.memory, 64Mi"
            + " of hot-key copies and 64Mi for the node's own work, 640Mi in all; raise the limit to at least 854Mi or"
            + " lower spec.cache.memory");
        limit("memory", "854Mi");
        assertThat(problems()).isEmpty();
    }

    /** Without hot keys no copies come on top of the cache; without a limit there is nothing to check against. */
    @Test
    void hotKeyCopiesCountOnlyWhileHotKeysAreOnAndNoLimitMeansNoCheck() {
        spec.getCache().setMemory("512Mi");
        limit("memory", "768Mi");
        spec.getCache().getHotKeys().setEnabled(false);
        assertThat(problems()).isEmpty();
        spec.getCache().getHotKeys().setEnabled(true);
        spec.getResources().getLimits().remove("memory");
        request("memory", "768Mi");
        assertThat(problems()).isEmpty();
    }

    /** spec.jvmOptions replace the image's JAVA_OPTS: the heap is what they set, else the JVM's own default, 25%. */
    @Test
    void theHeapIsWhatTheJvmOptionsGive() {
        limit("memory", "1Gi");
        spec.setJvmOptions(List.of("-XX:+UseZGC"));
        assertThat(problems()).singleElement().asString().startsWith("spec.resources.limits.memory: 1Gi gives the"
            + " node a 256Mi heap (25% of the limit, the JVM's default: spec.jvmOptions replace the image's"
            + " -XX:MaxRAMPercentage=75.0 and set no heap size), too small for 256Mi of cache.memory, 32Mi of hot-key"
            + " copies and 64Mi for the node's own work, 352Mi in all; raise the limit to at least 1408Mi");
        spec.setJvmOptions(List.of("-XX:MaxRAMPercentage=30", "-XX:+UseZGC", "-XX:MaxRAMPercentage=50.0"));
        assertThat(problems()).as("the last one counts").isEmpty();
        spec.setJvmOptions(List.of("-XX:MaxRAMPercentage=90", "-Xmx320m"));
        assertThat(problems()).as("-Xmx takes precedence").containsExactly("spec.jvmOptions: -Xmx320m gives the node"
            + " a 320Mi heap, too small for 256Mi of cache.memory, 32Mi of hot-key copies and 64Mi for the node's own"
            + " work, 352Mi in all; raise -Xmx to at least 352Mi or lower spec.cache.memory");
        spec.setJvmOptions(List.of("-XX:MaxHeapSize=400M"));
        assertThat(problems()).isEmpty();
        spec.setJvmOptions(List.of("-XX:MaxRAMPercentage=0"));
        assertThat(problems()).singleElement().asString().contains("a 0 bytes heap (0% of the limit")
            .endsWith("raise -XX:MaxRAMPercentage or lower spec.cache.memory");
    }

    /**
     * JAVA_OPTS set in spec.env replaces the image's options as spec.jvmOptions would, so the heap is what it says;
     * one read from a ConfigMap or Secret gives a heap the operator cannot know.
     */
    @Test
    void javaOptsInTheEnvSizeTheHeapLikeJvmOptions() {
        limit("memory", "1Gi");
        spec.setEnv(List.of(new EnvVar("JAVA_OPTS", "-XX:+UseZGC", null)));
        assertThat(problems()).singleElement().asString().startsWith("spec.resources.limits.memory: 1Gi gives the"
            + " node a 256Mi heap (25% of the limit, the JVM's default: JAVA_OPTS in spec.env replace the image's"
            + " -XX:MaxRAMPercentage=75.0 and set no heap size), too small for 256Mi of cache.memory");
        spec.setEnv(List.of(new EnvVar("JAVA_OPTS", "-XX:+UseZGC -Xmx320m", null)));
        assertThat(problems()).containsExactly("JAVA_OPTS in spec.env: -Xmx320m gives the node a 320Mi heap, too small"
            + " for 256Mi of cache.memory, 32Mi of hot-key copies and 64Mi for the node's own work, 352Mi in all; raise"
            + " -Xmx to at least 352Mi or lower spec.cache.memory");
        spec.setEnv(List.of(new EnvVar("JAVA_OPTS", "-XX:MaxRAMPercentage=75.0", null)));
        assertThat(problems()).isEmpty();
        spec.setEnv(List.of(new EnvVarBuilder().withName("JAVA_OPTS")
            .withNewValueFrom().withNewConfigMapKeyRef("java-opts", "jvm", false).endValueFrom().build()));
        assertThat(problems()).isEmpty();
    }

    /** A heap fixed by -Xmx must leave the JVM room for its metaspace, code, threads and Netty's direct buffers. */
    @Test
    void aFixedHeapMustLeaveTheJvmRoomInTheLimit() {
        limit("memory", "1Gi");
        spec.setJvmOptions(List.of("-Xmx1g"));
        assertThat(problems()).containsExactly("spec.jvmOptions: -Xmx1g leaves 0 bytes of the 1Gi memory limit beside"
            + " the heap; the JVM needs at least 128Mi there (metaspace, code, thread stacks, Netty's direct buffers):"
            + " lower -Xmx to at most 896Mi or raise the limit to at least 1152Mi");
        spec.setJvmOptions(List.of("-Xmx896m"));
        assertThat(problems()).isEmpty();
    }

    /**
     * The schema takes any map of strings; the API server refuses a pod template or Service whose label or
     * annotation it cannot store (a label value over 63 characters, a key with a space), after the workflow has
     * written the rest of the edit.
     */
    @Test
    void labelsAndAnnotationsMustBeOnesKubernetesStores() {
        spec.setPodLabels(Map.of("team", "a".repeat(64), "tier", "cache layer", "example.com/owner", "platform",
            "stage", "", "Example.com/owner", "platform"));
        spec.setPodAnnotations(Map.of("prometheus.io/scrape", "true", "my annotation", "x"));
        spec.getService().setAnnotations(Map.of("example.com/load balancer", "internal", "Example.com/lb", "internal"));
        String keyFix = " is not a label or annotation key; use a name of at most 63 letters, digits, '-', '_' and '.',"
            + " starting and ending with a letter or digit, optionally after a DNS subdomain prefix in lower case and '/'";
        String valueFix = " is not a label value; use at most 63 letters, digits, '-', '_' and '.', starting and ending"
            + " with a letter or digit";
        assertThat(problems()).as("an annotation key is checked in lower case, a label key as it is").containsExactly(
            "spec.service.annotations: 'example.com/load balancer'" + keyFix,
            "spec.podAnnotations: 'my annotation'" + keyFix,
            "spec.podLabels: 'Example.com/owner'" + keyFix,
            "spec.podLabels.team: '" + "a".repeat(64) + "'" + valueFix,
            "spec.podLabels.tier: 'cache layer'" + valueFix);
        spec.setPodLabels(Map.of("team", "a".repeat(63), "a".repeat(253) + "/" + "b".repeat(63), "x_y.z"));
        spec.setPodAnnotations(Map.of("prometheus.io/scrape", "any value at all: /, spaces and more"));
        spec.getService().setAnnotations(Map.of("Example.com/lb", "internal"));
        assertThat(problems()).isEmpty();
    }

    /** Server-side apply refuses a container with two variables of one name. */
    @Test
    void envMayNotRepeatANameOrSetTheOperatorsVariables() {
        spec.setEnv(List.of(new EnvVar("POD_IP", "1.2.3.4", null), new EnvVar("LOG", "a", null),
            new EnvVar("LOG", "b", null), new EnvVar("JAVA_OPTS", "-Xmx1g", null), new EnvVar("POD_IPS", "1.2.3.4", null)));
        assertThat(problems()).containsExactly("spec.env: POD_IP is set by the operator; remove it",
            "spec.env: LOG is given twice; keep one", "spec.env: POD_IPS is set by the operator; remove it");
        spec.setJvmOptions(List.of("-Xmx2g"));
        assertThat(problems()).contains("spec.env: JAVA_OPTS is made from spec.jvmOptions; set one of the two");
    }
}
