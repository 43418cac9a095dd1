package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.Eviction;
import io.ringcache.api.GroupSpec;
import io.ringcache.api.SchedulingSpec;
import io.ringcache.api.ServiceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each dependent's desired object for representative specs, built without a server. */
class DependentsTest {

    static final Map<String, String> SELECTOR = Map.of(
        "app.kubernetes.io/name", "ringcache",
        "app.kubernetes.io/instance", "sessions",
        "app.kubernetes.io/component", "node");

    final CacheCluster cluster = Clusters.named("sessions");

    Deployment deployment() {
        return new NodeDeploymentDependent("ringcache/node:test").desired(cluster, null);
    }

    Container node(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /**
     * The API server drops empty values; a desired object holding one would differ from the stored object on
     * every reconcile and be sent again. {@code emptyDir: {}} is the one empty value the server keeps.
     */
    @Test
    void desiredObjectsHoldNoEmptyValueTheServerWouldDrop() {
        cluster.getSpec().getAutoscaling().setEnabled(true);
        cluster.getSpec().getService().setAnnotations(Map.of("team", "cache"));
        List<HasMetadata> desired = List.of(
            new PeerServiceDependent().desired(cluster, null),
            new ClientServiceDependent().desired(cluster, null),
            new NodeConfigMapDependent().desired(cluster, null),
            new NodeServiceAccountDependent().desired(cluster, null),
            new NodeRoleDependent().desired(cluster, null),
            new NodeRoleBindingDependent().desired(cluster, null),
            deployment(),
            new AutoscalerDependent().desired(cluster, null),
            new DisruptionBudgetDependent().desired(cluster, null),
            new NetworkPolicyDependent().desired(cluster, null));
        for (HasMetadata object : desired) {
            List<String> empty = new ArrayList<>();
            collectEmpty(Serialization.jsonMapper().valueToTree(object), object.getKind(), empty);
            assertThat(empty).as("empty values in the desired %s", object.getKind()).isEmpty();
        }
    }

    private static void collectEmpty(JsonNode node, String path, List<String> empty) {
        boolean emptyValue = (node.isContainerNode() && node.isEmpty()) || (node.isTextual() && node.asText().isEmpty());
        if (emptyValue && !path.endsWith(".emptyDir")) {
            empty.add(path);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> collectEmpty(field.getValue(), path + "." + field.getKey(), empty));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectEmpty(node.get(i), path + "[" + i + "]", empty);
            }
        }
    }

    @Test
    void everyOwnedObjectCarriesTheFourLabels() {
        Map<String, String> labels = Labels.of(cluster);
        assertThat(labels).containsAllEntriesOf(SELECTOR)
            .containsEntry("app.kubernetes.io/managed-by", "ringcache-operator").hasSize(4);
        assertThat(List.of(
            new PeerServiceDependent().desired(cluster, null).getMetadata(),
            new ClientServiceDependent().desired(cluster, null).getMetadata(),
            new NodeConfigMapDependent().desired(cluster, null).getMetadata(),
            new NodeServiceAccountDependent().desired(cluster, null).getMetadata(),
            new NodeRoleDependent().desired(cluster, null).getMetadata(),
            new NodeRoleBindingDependent().desired(cluster, null).getMetadata(),
            deployment().getMetadata(),
            new AutoscalerDependent().desired(cluster, null).getMetadata(),
            new DisruptionBudgetDependent().desired(cluster, null).getMetadata(),
            new NetworkPolicyDependent().desired(cluster, null).getMetadata()))
            .allSatisfy(metadata -> {
                assertThat(metadata.getLabels()).isEqualTo(labels);
                assertThat(metadata.getNamespace()).isEqualTo("shop");
            });
    }

    /**
     * Each dependent's informer watches only the objects carrying the managed-by label every desired object has
     * ({@link #everyOwnedObjectCarriesTheFourLabels}), not every object of its kind in the watched namespaces.
     */
    @Test
    void everyDependentWatchesOnlyObjectsLabelledAsTheOperators() {
        Dependent[] dependents = CacheClusterReconciler.class.getAnnotation(Workflow.class).dependents();
        assertThat(dependents).isNotEmpty().allSatisfy(dependent -> {
            KubernetesDependent configuration = dependent.type().getAnnotation(KubernetesDependent.class);
            assertThat(configuration).as("@KubernetesDependent of %s", dependent.name()).isNotNull();
            assertThat(configuration.informer().labelSelector()).as("label selector of %s", dependent.name())
                .isEqualTo("app.kubernetes.io/managed-by=ringcache-operator");
        });
    }

    @Test
    void peerServiceIsHeadlessAndPublishesOnlyReadyNodes() {
        Service peers = new PeerServiceDependent().desired(cluster, null);
        assertThat(peers.getMetadata().getName()).isEqualTo("sessions-peers");
        assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses())
            .as("unset means false; the server omits a false, so one sent would never match what is stored").isNull();
        assertThat(peers.getSpec().getSelector()).isEqualTo(SELECTOR);
        assertThat(peers.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("peer", 7100));
    }

    @Test
    void clientServiceDefaultsToNodePortAndLetsKubernetesAllocateThePorts() {
        Service client = new ClientServiceDependent().desired(cluster, null);
        assertThat(client.getMetadata().getName()).isEqualTo("sessions");
        assertThat(client.getSpec().getType()).isEqualTo("NodePort");
        assertThat(client.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort,
                ServicePort::getNodePort)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080, null),
                org.assertj.core.groups.Tuple.tuple("resp", 6379, null));
    }

    @Test
    void clientServiceKeepsPinnedNodePortsAndAnnotations() {
        cluster.getSpec().getService().setHttpNodePort(30080);
        cluster.getSpec().getService().setRespNodePort(30379);
        cluster.getSpec().getService().setAnnotations(Map.of("lb.example/internal", "true"));
        Service client = new ClientServiceDependent().desired(cluster, null);
        assertThat(client.getSpec().getPorts()).extracting(ServicePort::getNodePort).containsExactly(30080, 30379);
        assertThat(client.getMetadata().getAnnotations()).containsEntry("lb.example/internal", "true");
    }

    @Test
    void clusterIpServiceHasNoNodePorts() {
        cluster.getSpec().getService().setType(ServiceType.CLUSTER_IP);
        cluster.getSpec().getService().setHttpNodePort(30080);
        Service client = new ClientServiceDependent().desired(cluster, null);
        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(client.getSpec().getPorts()).extracting(ServicePort::getNodePort).containsOnlyNulls();
    }

    /** Named for its content, and immutable: a configuration change makes a new ConfigMap, never edits one. */
    @Test
    void configMapHoldsTheRenderedConfigurationUnderANameMadeOfItsHash() {
        var configMap = new NodeConfigMapDependent().desired(cluster, null);
        String properties = NodeConfiguration.of(cluster).properties();
        assertThat(configMap.getMetadata().getName())
            .isEqualTo("sessions-config-" + NodeConfiguration.of(cluster).hash().substring(0, 10))
            .matches("sessions-config-[0-9a-f]{10}");
        assertThat(configMap.getImmutable()).isTrue();
        assertThat(configMap.getData()).containsOnlyKeys("application.properties");
        assertThat(configMap.getData().get("application.properties")).isEqualTo(properties)
            .contains("ringcache.groups.default.max-bytes=268435456\n")
            .contains("ringcache.discovery.service=sessions-peers\n");
        assertThat(mountedConfigMap()).as("the ConfigMap the pods mount").isEqualTo(configMap.getMetadata().getName());
    }

    @Test
    void nodeRoleOnlyReadsEndpointSlicesAndIsBoundToTheNodeServiceAccount() {
        Role role = new NodeRoleDependent().desired(cluster, null);
        assertThat(role.getMetadata().getName()).isEqualTo("sessions-node");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("discovery.k8s.io");
            assertThat(rule.getResources()).containsExactly("endpointslices");
            assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
        });
        RoleBinding binding = new NodeRoleBindingDependent().desired(cluster, null);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("sessions-node");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("sessions-node");
            assertThat(subject.getNamespace()).isEqualTo("shop");
        });
        assertThat(new NodeServiceAccountDependent().desired(cluster, null).getMetadata().getName())
            .isEqualTo("sessions-node");
    }

    @Test
    void deploymentWithDefaultsRunsThreeRestrictedNodesOfTheOperatorsImage() {
        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("sessions-node");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container node = node(deployment);
        assertThat(node.getImage()).isEqualTo("ringcache/node:test");
        assertThat(node.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(node.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(node.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(node.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(node.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(node.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
        assertThat(node.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
            .containsExactly("http:8080", "peer:7100", "resp:6379");
        assertThat(node.getEnv()).extracting(EnvVar::getName)
            .containsExactly("POD_IP", "POD_IPS", "POD_NAMESPACE", "QUARKUS_CONFIG_LOCATIONS");
        assertThat(node.getEnv().get(0).getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
        assertThat(node.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
            .singleElement()
            .satisfies(term -> assertThat(term.getPodAffinityTerm().getTopologyKey())
                .isEqualTo("kubernetes.io/hostname"));
    }

    /**
     * A dual-stack pod's Service may list its addresses of the other family than its primary one: the node gets all
     * of them, comma-separated, to find the one the EndpointSlices list.
     */
    @Test
    void deploymentGivesTheNodeEveryIpOfItsPodFromTheDownwardApi() {
        EnvVar podIps = node(deployment()).getEnv().stream().filter(e -> e.getName().equals("POD_IPS")).findFirst()
            .orElseThrow();
        assertThat(podIps.getValue()).isNull();
        assertThat(podIps.getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
        assertThat(podIps.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIPs");
    }

    /** The pause before SIGTERM, then the node's shutdown grace to hand its entries off, then time to exit. */
    @Test
    void podGracePeriodCoversTheHandOffOfALargeCache() {
        cluster.getSpec().getCache().setMemory("8Gi");
        assertThat(deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
            .isEqualTo(5 + 256 + 10);
    }

    @Test
    void deploymentUsesTheSpecsImageResourcesEnvAndJvmOptions() {
        cluster.getSpec().setImage("registry.example/ringcache/node:1.2");
        cluster.getSpec().setImagePullPolicy("IfNotPresent");
        cluster.getSpec().setResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi")).build());
        cluster.getSpec().setEnv(List.of(new EnvVar("LOG_LEVEL", "DEBUG", null)));
        cluster.getSpec().setJvmOptions(List.of("-Xmx768m", "-XX:+UseZGC"));
        Container node = node(deployment());
        assertThat(node.getImage()).isEqualTo("registry.example/ringcache/node:1.2");
        assertThat(node.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(node.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
        assertThat(node.getEnv()).extracting(EnvVar::getName).endsWith("JAVA_OPTS", "LOG_LEVEL");
        assertThat(node.getEnv()).filteredOn(env -> env.getName().equals("JAVA_OPTS"))
            .singleElement().extracting(EnvVar::getValue).isEqualTo("-Xmx768m -XX:+UseZGC");
    }

    @Test
    void givenSchedulingReplacesTheDefaultAntiAffinity() {
        SchedulingSpec scheduling = new SchedulingSpec();
        scheduling.setTolerations(List.of(new TolerationBuilder().withKey("cache").withOperator("Exists").build()));
        scheduling.setNodeSelector(Map.of("pool", "cache"));
        cluster.getSpec().setScheduling(scheduling);
        var pod = deployment().getSpec().getTemplate().getSpec();
        assertThat(pod.getAffinity()).isNull();
        assertThat(pod.getNodeSelector()).containsEntry("pool", "cache");
        assertThat(pod.getTolerations()).hasSize(1);
    }

    @Test
    void podLabelsCannotReplaceTheSelectorLabels() {
        cluster.getSpec().setPodLabels(Map.of("team", "checkout", "app.kubernetes.io/instance", "other"));
        cluster.getSpec().setPodAnnotations(Map.of("example.com/owner", "checkout"));
        var template = deployment().getSpec().getTemplate().getMetadata();
        assertThat(template.getLabels()).containsAllEntriesOf(SELECTOR).containsEntry("team", "checkout");
        assertThat(template.getAnnotations()).containsExactly(Map.entry("example.com/owner", "checkout"));
    }

    @Test
    void theMountedConfigMapChangesWithTheConfigurationOnly() {
        String initial = mountedConfigMap();
        cluster.getSpec().setReplicas(7);
        assertThat(mountedConfigMap()).as("a replica change must not roll the pods").isEqualTo(initial);
        GroupSpec products = new GroupSpec("products", "128Mi");
        products.setEviction(Eviction.LRU);
        cluster.getSpec().getCache().setGroups(List.of(products));
        assertThat(mountedConfigMap()).as("a group change must roll the pods").isNotEqualTo(initial);
    }

    @Test
    void autoscalerScalesTheCacheClusterItselfOnCpu() {
        cluster.getSpec().getAutoscaling().setEnabled(true);
        cluster.getSpec().getAutoscaling().setMinReplicas(3);
        cluster.getSpec().getAutoscaling().setMaxReplicas(12);
        HorizontalPodAutoscaler hpa = new AutoscalerDependent().desired(cluster, null);
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("ringcache.io/v1alpha1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("CacheCluster");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("sessions");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(80);
        });
    }

    @Test
    void autoscalerAddsMemoryWhenAsked() {
        cluster.getSpec().getAutoscaling().setTargetMemoryUtilizationPercentage(90);
        assertThat(new AutoscalerDependent().desired(cluster, null).getSpec().getMetrics())
            .extracting(metric -> metric.getResource().getName()).containsExactly("cpu", "memory");
    }

    @Test
    void autoscalerExistsOnlyWhileEnabled() {
        AutoscalingEnabled enabled = new AutoscalingEnabled();
        assertThat(enabled.isMet(null, cluster, null)).isFalse();
        cluster.getSpec().getAutoscaling().setEnabled(true);
        assertThat(enabled.isMet(null, cluster, null)).isTrue();
    }

    /**
     * A node that leaves takes its share of the hot data with it: the HPA removes at most one node per two minutes,
     * after five minutes of lower load, and scales up at Kubernetes' defaults (a new node takes keys over by
     * hand-off and loses nothing).
     */
    @Test
    void autoscalerScalesDownOneNodeAtATimeAndUpAtKubernetesDefaults() {
        cluster.getSpec().getAutoscaling().setEnabled(true);
        HorizontalPodAutoscalerBehavior behavior = new AutoscalerDependent().desired(cluster, null).getSpec()
            .getBehavior();
        assertThat(behavior.getScaleUp()).isNull();
        assertThat(behavior.getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
        assertThat(behavior.getScaleDown().getPolicies()).singleElement().satisfies(policy -> {
            assertThat(policy.getType()).isEqualTo("Pods");
            assertThat(policy.getValue()).isEqualTo(1);
            assertThat(policy.getPeriodSeconds()).isEqualTo(120);
        });
    }

    /** The next node leaves only after the one before has had its whole termination grace to hand its entries off. */
    @Test
    void scaleDownWaitsOutALargeNodesHandOff() {
        cluster.getSpec().getCache().setMemory("8Gi");
        assertThat(scaleDownPeriodSeconds()).isEqualTo(5 + 256 + 10);
        cluster.getSpec().getCache().setMemory("200Gi");
        assertThat(scaleDownPeriodSeconds()).as("the longest period an HPA policy accepts").isEqualTo(1800);
    }

    @Test
    void givenBehaviorReplacesTheDefaultOfItsDirectionOnly() {
        HPAScalingRules quickUp = new HPAScalingRulesBuilder().withStabilizationWindowSeconds(0)
            .addNewPolicy().withType("Percent").withValue(200).withPeriodSeconds(15).endPolicy().build();
        cluster.getSpec().getAutoscaling().setBehavior(new HorizontalPodAutoscalerBehaviorBuilder()
            .withScaleUp(quickUp).build());
        HorizontalPodAutoscalerBehavior behavior = new AutoscalerDependent().desired(cluster, null).getSpec()
            .getBehavior();
        assertThat(behavior.getScaleUp()).isEqualTo(quickUp);
        assertThat(behavior.getScaleDown().getStabilizationWindowSeconds()).as("the default").isEqualTo(300);

        HPAScalingRules quickDown = new HPAScalingRulesBuilder().withStabilizationWindowSeconds(60).build();
        cluster.getSpec().getAutoscaling().setBehavior(new HorizontalPodAutoscalerBehaviorBuilder()
            .withScaleDown(quickDown).build());
        behavior = new AutoscalerDependent().desired(cluster, null).getSpec().getBehavior();
        assertThat(behavior.getScaleDown()).isEqualTo(quickDown);
        assertThat(behavior.getScaleUp()).isNull();
    }

    @Test
    void disruptionBudgetExistsFromTwoReplicas() {
        DisruptionBudgetNeeded needed = new DisruptionBudgetNeeded();
        cluster.getSpec().setReplicas(1);
        assertThat(needed.isMet(null, cluster, null)).isFalse();
        cluster.getSpec().setReplicas(2);
        assertThat(needed.isMet(null, cluster, null)).isTrue();
        PodDisruptionBudget pdb = new DisruptionBudgetDependent().desired(cluster, null);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
    }

    @Test
    void networkPolicyLetsOnlyTheClustersOwnNodesReachThePeerPortAndAnyoneHttpAndResp() {
        NetworkPolicy policy = new NetworkPolicyDependent().desired(cluster, null);
        assertThat(policy.getMetadata().getName()).isEqualTo("sessions");
        assertThat(policy.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("CacheCluster");
            assertThat(owner.getName()).isEqualTo("sessions");
            assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(policy.getSpec().getPolicyTypes()).as("the nodes' own connections stay unrestricted")
            .containsExactly("Ingress");
        assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
        assertThat(policy.getSpec().getIngress()).hasSize(2);

        NetworkPolicyIngressRule peers = policy.getSpec().getIngress().get(0);
        assertThat(peers.getFrom()).singleElement().satisfies(from -> {
            assertThat(from.getPodSelector().getMatchLabels()).isEqualTo(SELECTOR);
            assertThat(from.getNamespaceSelector()).as("the policy's own namespace only").isNull();
            assertThat(from.getIpBlock()).isNull();
        });
        assertThat(ports(peers)).containsExactly("TCP/7100");

        NetworkPolicyIngressRule clients = policy.getSpec().getIngress().get(1);
        assertThat(clients.getFrom()).as("no peer listed: any source").isNullOrEmpty();
        assertThat(ports(clients)).containsExactly("TCP/8080", "TCP/6379");
    }

    /** The policy's ports are the numbers the node container listens on, not names a CNI plugin might not resolve. */
    @Test
    void networkPolicyPortsAreTheNodeContainersPortNumbers() {
        List<Integer> containerPorts = node(deployment()).getPorts().stream().map(ContainerPort::getContainerPort)
            .toList();
        assertThat(new NetworkPolicyDependent().desired(cluster, null).getSpec().getIngress())
            .flatExtracting(NetworkPolicyIngressRule::getPorts)
            .extracting(port -> port.getPort().getIntVal())
            .containsExactlyInAnyOrderElementsOf(containerPorts);
    }

    @Test
    void networkPolicyExistsOnlyWhileEnabled() {
        NetworkPolicyEnabled enabled = new NetworkPolicyEnabled();
        assertThat(enabled.isMet(null, cluster, null)).as("on by default").isTrue();
        cluster.getSpec().getNetworkPolicy().setEnabled(false);
        assertThat(enabled.isMet(null, cluster, null)).isFalse();
    }

    private static List<String> ports(NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().map(port -> port.getProtocol() + "/" + port.getPort().getIntVal()).toList();
    }

    private int scaleDownPeriodSeconds() {
        return new AutoscalerDependent().desired(cluster, null).getSpec().getBehavior().getScaleDown().getPolicies()
            .get(0).getPeriodSeconds();
    }

    private String mountedConfigMap() {
        return deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(volume -> volume.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
    }
}
