package io.ringcache.node.discovery;

import static io.ringcache.node.discovery.FakeApiServer.NAMESPACE;
import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The client the node gets from Quarkus (Vert.x HTTP underneath, as in the packaged and native node) carries
 * Kubernetes discovery, and its API server is set by {@code quarkus.kubernetes-client.api-server-url}: how the
 * end-to-end test points packaged nodes at a mock API server.
 */
@QuarkusTest
@WithTestResource(FakeApiServerResource.class)
class QuarkusKubernetesClientTest {

    @Inject
    KubernetesClient client;

    @Test
    void theQuarkusClientFollowsTheConfiguredApiServerAndDiscoversTheRing() throws InterruptedException {
        FakeApiServer api = FakeApiServerResource.api;
        assertThat(client.getMasterUrl().toString()).isEqualTo(api.url());
        api.apply(slice("demo-peers-a", "demo-peers", 9001, endpoint("127.0.0.1", true, false)).build());
        api.apply(slice("demo-peers-b", "demo-peers", 9002, endpoint("127.0.0.1", true, false)).build());

        PodEnvironment pod = new PodEnvironment(Map.of("POD_IP", "127.0.0.1", "POD_NAMESPACE", NAMESPACE)::get,
                Path.of("/nonexistent"));
        DiscoverySettings settings = new DiscoverySettings(DiscoverySettings.Mode.KUBERNETES, Optional.empty(), List.of(),
                Optional.of("demo-peers"));
        try (MembershipSource source = MembershipSources.create(settings, 9001, pod, () -> client)) {
            Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
            source.start(membership);
            await().atMost(Duration.ofSeconds(10)).until(() -> source.ready() && api.openWatches() == 1);
            assertThat(membership.ring().members()).containsExactlyInAnyOrder("127.0.0.1:9001", "127.0.0.1:9002");

            api.apply(slice("demo-peers-c", "demo-peers", 9003, endpoint("127.0.0.1", true, false)).build());
            await().atMost(Duration.ofSeconds(1))
                    .until(() -> membership.ring().members().size() == 3);
        }
    }
}
