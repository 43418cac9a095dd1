package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;
import io.ringcache.api.NodePorts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status follows the Deployment, the client Service and the peer EndpointSlices. */
class StatusCalculatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    final CacheCluster cluster = Clusters.named("sessions");

    static Deployment deployment(int replicas, int ready, int updated) {
        return new DeploymentBuilder()
            .withNewMetadata().withName("sessions").withGeneration(1L).endMetadata()
            .withNewStatus()
                .withObservedGeneration(1L)
                .withReplicas(replicas).withReadyReplicas(ready).withUpdatedReplicas(updated)
            .endStatus()
            .build();
    }

    static Service clientService(int http, int resp) {
        return new ServiceBuilder().withNewMetadata().withName("sessions").endMetadata()
            .withNewSpec()
                .addNewPort().withName("http").withPort(8080).withNodePort(http).endPort()
                .addNewPort().withName("resp").withPort(6379).withNodePort(resp).endPort()
            .endSpec().build();
    }

    static EndpointSlice slice(String service, String... readyAddresses) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder()
            .withNewMetadata().withName(service + "-abcde").addToLabels("kubernetes.io/service-name", service)
            .endMetadata()
            .withAddressType("IPv4");
        for (String address : readyAddresses) {
            slice.addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions()
                .endEndpoint();
        }
        slice.addNewEndpoint().withAddresses("10.0.0.99").withNewConditions().withReady(false).endConditions()
            .endEndpoint();
        return slice.build();
    }

    CacheClusterStatus compute(Deployment deployment, Instant now) {
        return StatusCalculator.compute(cluster, Optional.ofNullable(deployment),
            Optional.of(clientService(31080, 31379)),
            List.of(slice("sessions-peers", "10.0.0.2", "10.0.0.1"), slice("sessions", "10.0.0.3")), List.of(), now);
    }

    static Condition condition(CacheClusterStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void readyDeploymentMakesAReadyCluster() {
        CacheClusterStatus status = compute(deployment(3, 3, 3), T0);
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getSelector()).isEqualTo(
            "app.kubernetes.io/component=node,app.kubernetes.io/instance=sessions,app.kubernetes.io/name=ringcache");
        assertThat(status.getNodePorts()).isEqualTo(new NodePorts(31080, 31379));
        assertThat(status.getMembers()).containsExactly("10.0.0.1:7100", "10.0.0.2:7100");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
            assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString());
        });
        assertThat(StatusCalculator.isReady(status)).isTrue();
    }

    /** A ClusterIP client Service has no node ports: the status leaves nodePorts out rather than reporting {}. */
    @Test
    void clusterIpServiceReportsNoNodePorts() {
        Service clusterIp = new ServiceBuilder().withNewMetadata().withName("sessions").endMetadata()
            .withNewSpec()
                .withType("ClusterIP")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewPort().withName("resp").withPort(6379).endPort()
            .endSpec().build();
        CacheClusterStatus status = StatusCalculator.compute(cluster, Optional.of(deployment(3, 3, 3)),
            Optional.of(clusterIp), List.of(), List.of(), T0);
        assertThat(status.getNodePorts()).isNull();
    }

    @Test
    void startingNodesAreProgressingAndNotReady() {
        CacheClusterStatus status = compute(deployment(3, 1, 3), T0);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("1 of 3 nodes ready");
        assertThat(StatusCalculator.isReady(status)).isFalse();
        Condition progressing = condition(status, "Progressing");
        assertThat(progressing.getStatus()).as("created or scaled up, the nodes still start").isEqualTo("True");
        assertThat(progressing.getReason()).isEqualTo("RollingOut");
        assertThat(progressing.getMessage()).isEqualTo("3 of 3 nodes updated, 1 ready");
        assertThat(compute(null, T0).getReplicas()).isZero();
    }

    /**
     * Right after a spec change the Deployment's counts still describe the previous spec, all ready and updated,
     * until the Deployment controller observes the new generation.
     */
    @Test
    void deploymentThatHasNotObservedItsSpecIsNotReadyYet() {
        cluster.setStatus(compute(deployment(3, 3, 3), T0));
        Deployment changed = new DeploymentBuilder(deployment(3, 3, 3)).editMetadata().withGeneration(2L).endMetadata()
            .build();
        CacheClusterStatus status = compute(changed, T1);
        Condition ready = condition(status, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("RollingOut");
        assertThat(ready.getMessage()).isEqualTo("3 of 3 nodes ready (counted for the previous spec: the Deployment"
            + " controller has not observed the current one yet)");
        assertThat(ready.getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(condition(status, "Progressing").getStatus()).isEqualTo("True");
        assertThat(StatusCalculator.isReady(status)).as("the reconciler looks again").isFalse();

        Deployment observed = new DeploymentBuilder(changed).editStatus().withObservedGeneration(2L).endStatus().build();
        assertThat(condition(compute(observed, T1), "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void newDeploymentWithoutStatusIsNotReady() {
        Deployment created = new DeploymentBuilder().withNewMetadata().withName("sessions").withGeneration(1L)
            .endMetadata().build();
        cluster.getSpec().setReplicas(0);
        Condition ready = condition(compute(created, T0), "Ready");
        assertThat(ready.getStatus()).as("0 of 0 ready, but not yet observed").isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("RollingOut");
    }

    @Test
    void transitionTimeIsKeptUntilTheStatusFlips() {
        cluster.setStatus(compute(deployment(3, 3, 3), T0));
        CacheClusterStatus same = compute(deployment(3, 3, 3), T1);
        assertThat(same).as("an unchanged observation yields an equal status").isEqualTo(cluster.getStatus());

        CacheClusterStatus flipped = compute(deployment(3, 2, 3), T1);
        assertThat(condition(flipped, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(condition(flipped, "Degraded").getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void stuckRolloutIsDegraded() {
        Deployment stuck = new DeploymentBuilder(deployment(3, 2, 1)).editStatus()
            .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
            .withMessage("ReplicaSet sessions-7d9 has timed out progressing.").endCondition()
            .endStatus().build();
        Condition degraded = condition(compute(stuck, T0), "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void failedReconcileKeepsWhatWasObservedAndSaysWhyInDegraded() {
        cluster.setStatus(compute(deployment(3, 3, 3), T0));
        cluster.getMetadata().setGeneration(2L);
        CacheClusterStatus failed = StatusCalculator.failed(cluster, "node-deployment: forbidden (HTTP 403)", T1);
        assertThat(failed.getObservedGeneration()).as("generation 2 was not applied").isEqualTo(1L);
        assertThat(failed.getReadyReplicas()).isEqualTo(3);
        assertThat(failed.getMembers()).containsExactly("10.0.0.1:7100", "10.0.0.2:7100");
        assertThat(condition(failed, "Ready")).isEqualTo(condition(cluster.getStatus(), "Ready"));
        Condition degraded = condition(failed, "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ReconcileFailed");
        assertThat(degraded.getMessage()).isEqualTo("node-deployment: forbidden (HTTP 403)");
        assertThat(degraded.getObservedGeneration()).isEqualTo(2L);
        assertThat(degraded.getLastTransitionTime()).isEqualTo(T1.toString());

        cluster.setStatus(failed);
        assertThat(StatusCalculator.failed(cluster, "node-deployment: forbidden (HTTP 403)", T1.plusSeconds(60)))
            .as("the same failure again changes nothing").isEqualTo(failed);
    }

    @Test
    void firstReconcileThatFailsIsNotReady() {
        CacheClusterStatus failed = StatusCalculator.failed(cluster, "boom", T0);
        assertThat(failed.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
            .containsExactly("Ready=False/ReconcileFailed", "Progressing=False/ReconcileFailed",
                "Degraded=True/ReconcileFailed");
        assertThat(failed.getSelector()).as("the scale subresource needs it from the start")
            .contains("app.kubernetes.io/instance=sessions");
    }

    /**
     * A refused edit of spec.replicas is not applied: the nodes the last applied spec runs are the ones counted, and
     * they are all there.
     */
    @Test
    void underARefusedSpecReadyCountsTheNodesOfTheLastAppliedOne() {
        cluster.getSpec().setReplicas(5);
        Deployment applied = new DeploymentBuilder(deployment(3, 3, 3)).withNewSpec().withReplicas(3).endSpec().build();
        CacheClusterStatus status = StatusCalculator.compute(cluster, Optional.of(applied), Optional.empty(), List.of(),
            List.of("spec.cache.hotKeys.ttl: '0s' must be longer than zero"), T0);
        Condition ready = condition(status, "Ready");
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getMessage()).isEqualTo("3 of 3 nodes ready");
    }

    @Test
    void specWithProblemsIsDegradedAndNotProgressing() {
        CacheClusterStatus status = StatusCalculator.compute(cluster, Optional.of(deployment(3, 3, 3)),
            Optional.empty(), List.of(), List.of("spec.cache.memory: '0' is not more than zero", "spec.env: X"), T0);
        assertThat(condition(status, "Ready").getStatus()).as("the nodes already running still serve").isEqualTo("True");
        assertThat(condition(status, "Progressing").getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
        Condition degraded = condition(status, "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
        assertThat(degraded.getMessage())
            .isEqualTo("the spec is not applied: spec.cache.memory: '0' is not more than zero; spec.env: X");
    }
}
