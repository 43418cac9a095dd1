package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;
import io.ringcache.api.NodePorts;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against the Fabric8 mock API server (CRUD mode, server-side apply off), with
 * {@link FakeControllers} standing in for the Deployment and EndpointSlice controllers.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CacheClusterReconcilerTest {

    static final String NAMESPACE = "test";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Far more requests than reconciling one cluster makes; more means the operator writes in a loop. */
    private static final int MAX_DRAINED_REQUESTS = 10_000;
    /** More than the operator SDK's default retry gives up after (5), few enough for the test profile's backoff. */
    static final int REFUSED_WRITES = 12;

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    @KubernetesTestServer
    KubernetesServer server;

    FakeControllers fakes;

    @BeforeEach
    void startFakeControllers() {
        fakes = new FakeControllers(client);
    }

    @AfterEach
    void stopFakeControllers() {
        fakes.close();
    }

    @Test
    void cacheClusterYieldsEveryOwnedObjectWithAControllerOwnerReference() {
        CacheCluster cluster = create("owned");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<HasMetadata> owned = Arrays.asList(
                get(Service.class, "owned-peers"), get(Service.class, "owned"), nodeConfigMap("owned"),
                get(ServiceAccount.class, "owned-node"), get(Role.class, "owned-node"),
                get(RoleBinding.class, "owned-node"), get(Deployment.class, "owned"),
                get(PodDisruptionBudget.class, "owned"), get(NetworkPolicy.class, "owned"));
            assertThat(owned).doesNotContainNull().allSatisfy(object -> {
                assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                    assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid());
                    assertThat(owner.getKind()).isEqualTo("CacheCluster");
                    assertThat(owner.getController()).isTrue();
                });
                assertThat(object.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "ringcache-operator");
            });
        });
        assertThat(get(HorizontalPodAutoscaler.class, "owned")).as("autoscaling is off by default").isNull();
        // Every dependent is garbage-collected through its owner reference and the reconciler has no cleanup: the
        // operator SDK adds no finalizer, so the operator's ClusterRole needs no right to write a CacheCluster.
        assertThat(get(CacheCluster.class, "owned").getMetadata().getFinalizers()).isNullOrEmpty();
    }

    /**
     * The dependents watch only objects labelled as the operator's (app.kubernetes.io/managed-by), so the operator
     * does not keep a copy of every Service, ConfigMap and ServiceAccount of the namespaces it watches.
     */
    @Test
    void operatorCachesOnlyObjectsLabelledAsItsOwn() {
        create("labelled");
        await().atMost(TIMEOUT).until(() -> isReady("labelled"));
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("neighbour").withNamespace(NAMESPACE)
            .endMetadata().addToData("owner", "another team").build()).create();
        client.resource(new ServiceBuilder().withNewMetadata().withName("neighbour").withNamespace(NAMESPACE)
            .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        client.resource(new ServiceAccountBuilder().withNewMetadata().withName("neighbour").withNamespace(NAMESPACE)
            .endMetadata().build()).create();

        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            List<HasMetadata> cached = cachedSecondaryResources();
            assertThat(cached).extracting(object -> object.getKind() + "/" + object.getMetadata().getName())
                .contains("Service/labelled", "Service/labelled-peers", "ServiceAccount/labelled-node",
                    "Deployment/labelled")
                .doesNotContain("ConfigMap/neighbour", "Service/neighbour", "ServiceAccount/neighbour");
            assertThat(cached).allSatisfy(object -> assertThat(object.getMetadata().getLabels())
                .as("labels of cached %s %s", object.getKind(), object.getMetadata().getName())
                .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR));
        });
    }

    /**
     * An object of an owned object's name that the operator did not make is not taken over: the create is refused,
     * Degraded says so, and the object stays as it was.
     */
    @Test
    void objectOfTheSameNameTheOperatorDidNotMakeIsNotTakenOver() {
        client.resource(new ServiceAccountBuilder().withNewMetadata().withName("squatted-node").withNamespace(NAMESPACE)
            .addToLabels("team", "other").endMetadata().build()).create();
        create("squatted");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("squatted", StatusCalculator.DEGRADED);
            assertThat(degraded.getReason()).isEqualTo("ReconcileFailed");
            assertThat(degraded.getMessage()).contains("node-service-account", "squatted-node");
        });
        ServiceAccount kept = get(ServiceAccount.class, "squatted-node");
        assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).containsExactly(Map.entry("team", "other"));
        assertThat(get(Deployment.class, "squatted")).as("the Deployment waits for its ServiceAccount").isNull();
    }

    @Test
    void statusFollowsTheDeploymentTheServiceAndTheEndpointSlices() {
        CacheCluster cluster = cluster("status");
        cluster.getSpec().getService().setHttpNodePort(30080);
        cluster.getSpec().getService().setRespNodePort(30379);
        client.resource(cluster).create();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            CacheClusterStatus status = get(CacheCluster.class, "status").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getReplicas()).isEqualTo(3);
            assertThat(status.getReadyReplicas()).isEqualTo(3);
            assertThat(status.getMembers()).containsExactly("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7100");
            assertThat(status.getNodePorts().getHttp()).isEqualTo(30080);
            assertThat(status.getNodePorts().getResp()).isEqualTo(30379);
            assertThat(status.getSelector()).contains("app.kubernetes.io/instance=status");
            assertThat(status.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("Ready=True", "Progressing=False", "Degraded=False");
        });
    }

    @Test
    void allocatedNodePortsAreReportedAndKeptAcrossChanges() {
        create("allocated");
        await().atMost(TIMEOUT).until(() -> isReady("allocated")
            && get(CacheCluster.class, "allocated").getStatus().getNodePorts() != null
            && get(CacheCluster.class, "allocated").getStatus().getNodePorts().getResp() != null);
        Service service = get(Service.class, "allocated");
        NodePorts allocated = get(CacheCluster.class, "allocated").getStatus().getNodePorts();
        assertThat(allocated.getHttp()).isEqualTo(nodePort(service, "http")).isBetween(30000, 32767);
        assertThat(allocated.getResp()).isEqualTo(nodePort(service, "resp")).isNotEqualTo(allocated.getHttp());

        patchSpec("allocated", "{\"replicas\":4,\"cache\":{\"backups\":1}}");
        await().atMost(TIMEOUT).until(() -> get(CacheCluster.class, "allocated").getStatus().getReadyReplicas() == 4);
        assertThat(get(CacheCluster.class, "allocated").getStatus().getNodePorts())
            .as("the operator never drops ports Kubernetes allocated").isEqualTo(allocated);
        assertThat(nodePort(get(Service.class, "allocated"), "http")).isEqualTo(allocated.getHttp());
    }

    /** A ClusterIP Service has no node ports: status.nodePorts goes away rather than staying as {}. */
    @Test
    void switchingToClusterIpRemovesTheNodePortsFromStatus() {
        create("internal");
        await().atMost(TIMEOUT).until(() -> isReady("internal")
            && get(CacheCluster.class, "internal").getStatus().getNodePorts() != null);

        patchSpec("internal", "{\"service\":{\"type\":\"ClusterIP\"}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(Service.class, "internal").getSpec().getType()).isEqualTo("ClusterIP");
            assertThat(get(CacheCluster.class, "internal").getStatus().getNodePorts()).isNull();
        });
    }

    @Test
    void editingSpecReplicasMovesTheDeploymentAndThePodDisruptionBudgetRule() {
        create("scaled");
        await().atMost(TIMEOUT).until(() -> isReady("scaled"));
        String hash = mountedConfigMap("scaled");

        patchSpec("scaled", "{\"replicas\":5}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(Deployment.class, "scaled").getSpec().getReplicas()).isEqualTo(5);
            assertThat(get(CacheCluster.class, "scaled").getStatus().getReadyReplicas()).isEqualTo(5);
        });
        assertThat(mountedConfigMap("scaled")).as("a replica change does not roll the pods").isEqualTo(hash);

        patchSpec("scaled", "{\"replicas\":1}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(Deployment.class, "scaled").getSpec().getReplicas()).isEqualTo(1);
            assertThat(get(PodDisruptionBudget.class, "scaled")).as("no PDB below two nodes").isNull();
        });
    }

    /**
     * After a change the Deployment's counts describe the previous spec (all nodes ready and updated) until its
     * controller observes the new generation; the cluster is not Ready in between.
     */
    @Test
    void clusterIsNotReadyUntilTheDeploymentControllerObservesTheChange() {
        create("lagging");
        await().atMost(TIMEOUT).until(() -> isReady("lagging"));

        fakes.holdRollouts();
        patchSpec("lagging", "{\"cache\":{\"backups\":1}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = condition("lagging", StatusCalculator.READY);
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("RollingOut");
        });
        Deployment deployment = get(Deployment.class, "lagging");
        assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(deployment.getStatus().getObservedGeneration()).isLessThan(deployment.getMetadata().getGeneration());

        fakes.resumeRollouts();
        await().atMost(TIMEOUT).until(() -> isReady("lagging"));
    }

    @Test
    void togglingAutoscalingCreatesAndDeletesTheAutoscalerOnceItsResourceRequestsAreSet() {
        create("elastic");
        await().atMost(TIMEOUT).until(() -> get(Deployment.class, "elastic") != null);

        patchSpec("elastic", "{\"resources\":{\"requests\":{\"cpu\":\"500m\"}},"
            + "\"autoscaling\":{\"enabled\":true,\"minReplicas\":2,\"maxReplicas\":6}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HorizontalPodAutoscaler hpa = get(HorizontalPodAutoscaler.class, "elastic");
            assertThat(hpa).isNotNull();
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("CacheCluster");
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        });

        // Scaling on memory without a memory request would leave the HPA unable to compute a utilization.
        patchSpec("elastic", "{\"autoscaling\":{\"targetMemoryUtilizationPercentage\":90}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("elastic", StatusCalculator.DEGRADED);
            assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
            assertThat(degraded.getMessage()).contains("spec.resources.requests.memory: autoscaling on memory");
        });
        assertThat(get(HorizontalPodAutoscaler.class, "elastic").getSpec().getMetrics())
            .as("the HPA keeps scaling on CPU alone until the spec is fixed").singleElement()
            .satisfies(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));

        patchSpec("elastic", "{\"resources\":{\"requests\":{\"memory\":\"1Gi\"}}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(HorizontalPodAutoscaler.class, "elastic").getSpec().getMetrics())
                .extracting(metric -> metric.getResource().getName()).containsExactly("cpu", "memory");
            assertThat(condition("elastic", StatusCalculator.DEGRADED).getStatus()).isEqualTo("False");
        });

        patchSpec("elastic", "{\"autoscaling\":{\"enabled\":false}}");
        await().atMost(TIMEOUT).until(() -> get(HorizontalPodAutoscaler.class, "elastic") == null);
    }

    /** A reconcile precondition that turns false makes the operator SDK's workflow delete the dependent's object. */
    @Test
    void switchingTheNetworkPolicyOffDeletesItAndSwitchingItOnRecreatesIt() {
        CacheCluster cluster = create("fenced");
        await().atMost(TIMEOUT).until(() -> get(NetworkPolicy.class, "fenced") != null);

        patchSpec("fenced", "{\"networkPolicy\":{\"enabled\":false}}");
        await().atMost(TIMEOUT).until(() -> get(NetworkPolicy.class, "fenced") == null);
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT)
            .until(() -> get(NetworkPolicy.class, "fenced") == null && isReady("fenced"));
        assertThat(get(Deployment.class, "fenced")).as("the nodes keep running without the policy").isNotNull();

        patchSpec("fenced", "{\"networkPolicy\":{\"enabled\":true}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            NetworkPolicy policy = get(NetworkPolicy.class, "fenced");
            assertThat(policy).isNotNull();
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/instance", "fenced");
            assertThat(policy.getSpec().getIngress()).hasSize(2);
            assertThat(policy.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid()));
        });
    }

    @Test
    void groupChangeRollsThePodTemplateAndLeavesReplicasAlone() {
        create("groups");
        await().atMost(TIMEOUT).until(() -> isReady("groups"));
        String hash = mountedConfigMap("groups");

        patchSpec("groups", "{\"cache\":{\"groups\":[{\"name\":\"sessions\",\"memory\":\"64Mi\",\"eviction\":\"lru\"}]}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(mountedConfigMap("groups")).isNotEqualTo(hash);
            assertThat(nodeConfigMap("groups").getData().get("application.properties"))
                .contains("ringcache.groups.sessions.eviction=lru");
        });
        assertThat(get(Deployment.class, "groups").getSpec().getReplicas()).isEqualTo(3);
    }

    /**
     * Every configuration gets a ConfigMap of its own, which the pod template mounts, so a node of the previous
     * revision that restarts mid-rollout still reads the configuration it was started with. Once the rollout is done,
     * the ConfigMaps older than the previous revision's are deleted.
     */
    @Test
    void eachConfigurationHasItsOwnConfigMapAndOldOnesGoOnceTheRolloutIsDone() {
        create("revisions");
        await().atMost(TIMEOUT).until(() -> isReady("revisions"));
        String first = mountedConfigMap("revisions");
        assertThat(first).matches("revisions-config-[0-9a-f]{10}");
        String firstConfiguration = get(ConfigMap.class, first).getData().get("application.properties");

        // Creation timestamps have seconds: a second apart, the ConfigMaps' order is their creation order.
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        patchSpec("revisions", "{\"cache\":{\"backups\":1}}");
        await().atMost(TIMEOUT).until(() -> !first.equals(mountedConfigMap("revisions")) && isReady("revisions"));
        String second = mountedConfigMap("revisions");
        assertThat(get(ConfigMap.class, second).getData().get("application.properties")).contains("ringcache.backups=1\n");
        assertThat(get(ConfigMap.class, first).getData().get("application.properties"))
            .as("the previous revision's configuration is left as it was").isEqualTo(firstConfiguration);
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() ->
            assertThat(nodeConfigMaps("revisions")).as("the previous one is kept").containsExactlyInAnyOrder(first, second));

        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        patchSpec("revisions", "{\"cache\":{\"backups\":2}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String third = mountedConfigMap("revisions");
            assertThat(third).isNotIn(first, second);
            assertThat(nodeConfigMaps("revisions")).containsExactlyInAnyOrder(second, third);
        });
        assertThat(get(Deployment.class, "revisions").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void unchangedClusterCausesNoWriteAndAStatusChangeWritesOnlyTheStatus() throws InterruptedException {
        create("steady");
        await().atMost(TIMEOUT).until(() -> isReady("steady"));
        drainRecordedRequests(Duration.ofSeconds(2));

        // availableReplicas feeds nothing the operator renders or reports: the reconcile it triggers must not write.
        client.apps().deployments().inNamespace(NAMESPACE).withName("steady").editStatus(d -> {
            d.getStatus().setAvailableReplicas(2);
            return d;
        });
        assertThat(writes(drainRecordedRequests(Duration.ofSeconds(3))))
            .containsExactly("PATCH /apis/apps/v1/namespaces/test/deployments/steady/status");

        client.apps().deployments().inNamespace(NAMESPACE).withName("steady").editStatus(d -> {
            d.getStatus().setReadyReplicas(2);
            return d;
        });
        await().atMost(TIMEOUT).until(() -> get(CacheCluster.class, "steady").getStatus().getReadyReplicas() == 2);
        assertThat(writes(drainRecordedRequests(Duration.ofSeconds(2))))
            .containsExactly("PATCH /apis/apps/v1/namespaces/test/deployments/steady/status",
                "PATCH /apis/ringcache.io/v1alpha1/namespaces/test/cacheclusters/steady/status");
    }

    /**
     * A write the API server refuses (here: the nodes' ServiceAccount, refused more often than the operator SDK's
     * default five attempts) shows as Degraded with the server's message, is retried with backoff for as long
     * as it fails, and the cluster comes up once the write goes through.
     */
    @Test
    void refusedWriteShowsInStatusAndIsRetriedUntilItSucceeds() {
        server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts")
            .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                .withMessage("serviceaccounts is forbidden: quota exceeded").build())
            .times(REFUSED_WRITES);
        create("refused");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("refused", StatusCalculator.DEGRADED);
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("ReconcileFailed");
            assertThat(degraded.getMessage()).contains("node-service-account", "quota exceeded");
        });
        assertThat(get(Deployment.class, "refused")).as("the Deployment waits for its ServiceAccount").isNull();

        await().atMost(TIMEOUT).until(() -> isReady("refused"));
        assertThat(get(ServiceAccount.class, "refused-node")).isNotNull();
        assertThat(condition("refused", StatusCalculator.DEGRADED).getStatus()).isEqualTo("False");
    }

    /** The mock server checks no schema, like an API server still holding an older CRD (Helm never upgrades one). */
    @Test
    void specTheNodesCannotRunIsReportedAndNothingIsApplied() {
        CacheCluster cluster = cluster("invalid");
        cluster.getSpec().getCache().setMemory("100m");
        client.resource(cluster).create();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("invalid", StatusCalculator.DEGRADED);
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
            assertThat(degraded.getMessage()).contains("spec.cache.memory: '100m' is not a whole number of bytes");
        });
        assertThat(condition("invalid", StatusCalculator.READY).getStatus()).isEqualTo("False");
        assertThat(Arrays.asList(get(Service.class, "invalid-peers"), get(Service.class, "invalid"),
            get(ServiceAccount.class, "invalid-node"),
            get(Deployment.class, "invalid"), get(PodDisruptionBudget.class, "invalid"),
            get(NetworkPolicy.class, "invalid"))).containsOnlyNulls();
        assertThat(nodeConfigMaps("invalid")).isEmpty();
    }

    /** A memory limit whose heap cannot hold the cache is refused like any other spec problem: nothing is written. */
    @Test
    void memoryLimitTooSmallForTheCacheIsReportedAndNothingIsApplied() {
        CacheCluster cluster = cluster("cramped");
        cluster.getSpec().setResources(new ResourceRequirementsBuilder()
            .addToLimits("memory", new Quantity("256Mi")).build());
        client.resource(cluster).create();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("cramped", StatusCalculator.DEGRADED);
            assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
            assertThat(degraded.getMessage()).contains("spec.resources.limits.memory: 256Mi gives the node a 192Mi heap");
        });
        assertThat(nodeConfigMaps("cramped")).isEmpty();
        assertThat(Arrays.asList(get(Service.class, "cramped"), get(Deployment.class, "cramped"))).containsOnlyNulls();
    }

    @Test
    void invalidEditLeavesTheRunningClusterAsItWasUntilItIsFixed() {
        create("kept");
        await().atMost(TIMEOUT).until(() -> isReady("kept"));
        String hash = mountedConfigMap("kept");
        String configuration = nodeConfigMap("kept").getData().get("application.properties");

        patchSpec("kept", "{\"replicas\":4,\"cache\":{\"hotKeys\":{\"ttl\":\"0s\"}}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition degraded = condition("kept", StatusCalculator.DEGRADED);
            assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
            assertThat(degraded.getMessage()).contains("spec.cache.hotKeys.ttl: '0s' must be longer than zero");
        });
        assertThat(condition("kept", StatusCalculator.READY).getStatus())
            .as("the three nodes of the last applied spec all serve").isEqualTo("True");
        assertThat(nodeConfigMap("kept").getData().get("application.properties")).isEqualTo(configuration);
        assertThat(nodeConfigMaps("kept")).as("no ConfigMap of the edit").hasSize(1);
        assertThat(mountedConfigMap("kept")).isEqualTo(hash);
        assertThat(get(Deployment.class, "kept").getSpec().getReplicas()).as("no part of the edit is applied")
            .isEqualTo(3);

        patchSpec("kept", "{\"cache\":{\"hotKeys\":{\"ttl\":\"2s\"}}}");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(nodeConfigMap("kept").getData().get("application.properties"))
                .contains("ringcache.hot-keys.ttl=2s\n");
            assertThat(get(Deployment.class, "kept").getSpec().getReplicas()).isEqualTo(4);
            assertThat(condition("kept", StatusCalculator.DEGRADED).getStatus()).isEqualTo("False");
        });
    }

    @Test
    void deletedClusterIsNotReconciledAgain() {
        create("gone");
        await().atMost(TIMEOUT).until(() -> isReady("gone"));

        client.resources(CacheCluster.class).inNamespace(NAMESPACE).withName("gone").delete();
        await().atMost(TIMEOUT).until(() -> get(CacheCluster.class, "gone") == null);
        // Kubernetes' garbage collector removes the owned objects through their owner references; the mock
        // server has none, so delete one by hand: the operator must not recreate it for a deleted cluster.
        client.apps().deployments().inNamespace(NAMESPACE).withName("gone").delete();
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT)
            .until(() -> get(Deployment.class, "gone") == null);
    }

    /** What the controller's informers for owned objects and EndpointSlices hold, over all namespaces. */
    private List<HasMetadata> cachedSecondaryResources() {
        Controller<?> controller = (Controller<?>) operator.getRegisteredController(CacheClusterReconciler.NAME)
            .orElseThrow();
        return controller.getEventSourceManager().allEventSources().stream()
            .filter(InformerEventSource.class::isInstance)
            .flatMap(source -> ((InformerEventSource<?, ?>) source).list(resource -> true))
            .map(HasMetadata.class::cast)
            .toList();
    }

    private static Integer nodePort(Service service, String name) {
        return service.getSpec().getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
            .orElseThrow().getNodePort();
    }

    private CacheCluster create(String name) {
        return client.resource(cluster(name)).create();
    }

    private static CacheCluster cluster(String name) {
        CacheCluster cluster = new CacheCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        return cluster;
    }

    /** A JSON merge patch of the spec: no resourceVersion, so it never conflicts with the operator's writes. */
    private void patchSpec(String name, String specJson) {
        client.resources(CacheCluster.class).inNamespace(NAMESPACE).withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NAMESPACE).withName(name).get();
    }

    private boolean isReady(String name) {
        CacheCluster cluster = get(CacheCluster.class, name);
        return cluster.getStatus() != null && StatusCalculator.isReady(cluster.getStatus());
    }

    private Condition condition(String name, String type) {
        CacheClusterStatus status = get(CacheCluster.class, name).getStatus();
        assertThat(status).as("status of %s", name).isNotNull();
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    /** The name of the ConfigMap the pod template of the Deployment {@code name} mounts; null without one. */
    private String mountedConfigMap(String name) {
        Deployment deployment = get(Deployment.class, name);
        return deployment == null ? null : deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(volume -> volume.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
    }

    /** The ConfigMap the nodes of cluster {@code name} mount; null until there is one. */
    private ConfigMap nodeConfigMap(String name) {
        String configMap = mountedConfigMap(name);
        return configMap == null ? null : get(ConfigMap.class, configMap);
    }

    /** The names of cluster {@code name}'s ConfigMaps. */
    private List<String> nodeConfigMaps(String name) {
        return client.configMaps().inNamespace(NAMESPACE).withLabel(Labels.INSTANCE, name).list().getItems().stream()
            .map(configMap -> configMap.getMetadata().getName()).toList();
    }

    /**
     * Takes every request the mock server recorded until none arrives for {@code quiet}. Bounded by
     * {@link #MAX_DRAINED_REQUESTS} and {@link #TIMEOUT}: an operator writing in a loop fails the test, never hangs it.
     */
    private List<RecordedRequest> drainRecordedRequests(Duration quiet) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(quiet.toMillis(), TimeUnit.MILLISECONDS))
            != null) {
            requests.add(request);
            if (requests.size() > MAX_DRAINED_REQUESTS || System.nanoTime() > deadline) {
                throw new AssertionError("the mock server kept receiving requests: " + requests.size() + " in "
                    + TIMEOUT + ", the last " + request.getMethod() + " " + request.getPath());
            }
        }
        return requests;
    }

    /** The writes among {@code requests} concerning the {@code steady} cluster, as "METHOD path". */
    private static List<String> writes(List<RecordedRequest> requests) {
        return requests.stream()
            .filter(r -> !r.getMethod().equals("GET"))
            .map(r -> r.getMethod() + " " + r.getPath().replaceFirst("\\?.*", ""))
            .filter(write -> write.contains("steady"))
            .toList();
    }
}
