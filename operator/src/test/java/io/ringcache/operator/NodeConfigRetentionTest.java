package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A node ConfigMap goes once no node can read it any more; the previous revision's stays for a while. */
class NodeConfigRetentionTest {

    static final ConfigMap OLDEST = configMap("sessions-config-aaaaaaaaaa", "2026-01-01T00:00:00Z");
    static final ConfigMap PREVIOUS = configMap("sessions-config-bbbbbbbbbb", "2026-01-01T01:00:00Z");
    static final ConfigMap CURRENT = configMap("sessions-config-cccccccccc", "2026-01-01T02:00:00Z");
    static final List<ConfigMap> ALL = List.of(OLDEST, PREVIOUS, CURRENT);

    static ConfigMap configMap(String name, String created) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
            .build();
    }

    /** A Deployment of three nodes mounting {@code configMap}, {@code updated} of them on its current template. */
    static Deployment deployment(String configMap, int updated, int pods) {
        return new DeploymentBuilder()
            .withNewMetadata().withName("sessions").withGeneration(4L).endMetadata()
            .withNewSpec()
                .withReplicas(3)
                .withNewTemplate().withNewSpec()
                    .addNewVolume().withName("config").withNewConfigMap().withName(configMap).endConfigMap().endVolume()
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().endTemplate()
            .endSpec()
            .withNewStatus().withObservedGeneration(4L).withUpdatedReplicas(updated).withReplicas(pods).endStatus()
            .build();
    }

    @Test
    void onceEveryNodeRunsTheCurrentConfigurationThePreviousOneIsKeptAndOlderOnesGo() {
        assertThat(NodeConfigRetention.kept("sessions-config-cccccccccc", ALL,
            Optional.of(deployment("sessions-config-cccccccccc", 3, 3))))
            .containsExactlyInAnyOrder("sessions-config-cccccccccc", "sessions-config-bbbbbbbbbb");
    }

    /** Nodes of any earlier revision may still run, and their ReplicaSet replaces one that fails. */
    @Test
    void nothingGoesWhileARolloutIsUnderWay() {
        assertThat(NodeConfigRetention.kept("sessions-config-cccccccccc", ALL,
            Optional.of(deployment("sessions-config-cccccccccc", 2, 4))))
            .containsExactlyInAnyOrder("sessions-config-aaaaaaaaaa", "sessions-config-bbbbbbbbbb",
                "sessions-config-cccccccccc");
        Deployment unobserved = deployment("sessions-config-cccccccccc", 3, 3);
        unobserved.getMetadata().setGeneration(5L);
        assertThat(NodeConfigRetention.kept("sessions-config-cccccccccc", ALL, Optional.of(unobserved))).hasSize(3);
        assertThat(NodeConfigRetention.kept("sessions-config-cccccccccc", ALL, Optional.empty())).hasSize(3);
    }

    /**
     * Right after a configuration change the Deployment still mounts the configuration its nodes run; it is kept
     * whatever its age, and moves on to the new one in the same reconcile.
     */
    @Test
    void theConfigMapTheRunningNodesMountIsKept() {
        ConfigMap next = configMap("sessions-config-dddddddddd", "2026-01-01T03:00:00Z");
        assertThat(NodeConfigRetention.kept("sessions-config-dddddddddd", List.of(OLDEST, PREVIOUS, CURRENT, next),
            Optional.of(deployment("sessions-config-aaaaaaaaaa", 3, 3))))
            .containsExactlyInAnyOrder("sessions-config-dddddddddd", "sessions-config-cccccccccc",
                "sessions-config-aaaaaaaaaa");
    }

    /** Going back to an earlier configuration finds its ConfigMap under the same name, however old it is. */
    @Test
    void theCurrentConfigMapIsKeptWhateverItsAge() {
        assertThat(NodeConfigRetention.kept("sessions-config-aaaaaaaaaa", ALL,
            Optional.of(deployment("sessions-config-aaaaaaaaaa", 3, 3))))
            .containsExactlyInAnyOrder("sessions-config-aaaaaaaaaa", "sessions-config-cccccccccc");
    }
}
