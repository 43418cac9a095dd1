package io.ringcache.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every manifest in examples/ is a CacheCluster this model reads as intended. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of(System.getProperty("ringcache.repo.dir", "..")).resolve("examples");

    static CacheCluster read(String file) throws IOException {
        try (InputStream in = Files.newInputStream(EXAMPLES.resolve(file))) {
            return Serialization.unmarshal(in, CacheCluster.class);
        }
    }

    @Test
    void minimalTakesEveryDefault() throws IOException {
        CacheCluster minimal = read("cachecluster-minimal.yaml");
        assertThat(minimal.getMetadata().getName()).isEqualTo("minimal");
        assertThat(minimal.getSpec().getReplicas()).isEqualTo(3);
        assertThat(minimal.getSpec().getCache().getMemory()).isEqualTo("256Mi");
        assertThat(minimal.getSpec().getService().getType()).isEqualTo(ServiceType.NODE_PORT);
        assertThat(minimal.getSpec().getNetworkPolicy().getEnabled()).isTrue();
    }

    @Test
    void autoscalingHasTheCpuRequestItNeeds() throws IOException {
        CacheCluster elastic = read("cachecluster-autoscaling.yaml");
        assertThat(elastic.getSpec().getAutoscaling().getEnabled()).isTrue();
        assertThat(elastic.getSpec().getAutoscaling().getMinReplicas())
            .isLessThanOrEqualTo(elastic.getSpec().getAutoscaling().getMaxReplicas());
        assertThat(elastic.getSpec().getResources().getRequests()).containsKey("cpu");
    }

    /**
     * The HPA writes spec.replicas; a manifest that sets it would set it back each time it is applied (or, applied
     * server-side, conflict with the HPA), and every such swing moves keys twice.
     */
    @Test
    void autoscalingLeavesReplicasToTheAutoscaler() throws IOException {
        GenericKubernetesResource elastic;
        try (InputStream in = Files.newInputStream(EXAMPLES.resolve("cachecluster-autoscaling.yaml"))) {
            elastic = Serialization.unmarshal(in, GenericKubernetesResource.class);
        }
        assertThat(elastic.<Map<String, Object>>get("spec")).doesNotContainKey("replicas");
    }

    @Test
    void readThroughDeclaresAnOriginGroup() throws IOException {
        CacheCluster shop = read("cachecluster-read-through.yaml");
        assertThat(shop.getSpec().getCache().getGroups()).extracting(GroupSpec::getName)
            .containsExactly("products", "sessions");
        assertThat(shop.getSpec().getCache().getGroups().get(0).getOrigin()).contains("{key}");
        assertThat(shop.getSpec().getCache().getGroups().get(1).getEviction()).isEqualTo(Eviction.LRU);
        assertThat(shop.getSpec().getService().getHttpNodePort()).isEqualTo(30080);
    }
}
