package io.ringcache.node.discovery;

import static io.ringcache.node.discovery.FakeApiServer.NAMESPACE;
import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ringcache.node.config.ConfigException;
import io.ringcache.node.discovery.DiscoverySettings.Mode;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipSourcesTest {

    private static final int PEER_PORT = 7100;

    @TempDir
    Path serviceAccount;

    private final Map<String, String> variables = new HashMap<>();
    private final AtomicInteger clientsAskedFor = new AtomicInteger();

    private PodEnvironment pod() {
        return new PodEnvironment(variables::get, serviceAccount);
    }

    private void runInAPod() throws IOException {
        Files.writeString(serviceAccount.resolve("token"), PodEnvironmentTest.token("system:serviceaccount:cache:demo-node"));
        variables.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        variables.put("POD_IP", "10.0.0.1");
        variables.put("POD_NAMESPACE", NAMESPACE);
    }

    /** A client supplier that must not be called. */
    private Supplier<KubernetesClient> noClient() {
        return () -> {
            clientsAskedFor.incrementAndGet();
            throw new AssertionError("a static node must not create a Kubernetes client");
        };
    }

    private static DiscoverySettings settings(Mode mode, List<String> peers, String service) {
        return new DiscoverySettings(mode, peers.isEmpty() ? Optional.empty() : Optional.of("10.0.0.1:7100"), peers,
                Optional.ofNullable(service));
    }

    @Test
    void autoOutsideAPodIsANodeAloneAndNeverAsksForAClient() {
        MembershipSource source = MembershipSources.create(DiscoverySettings.DEFAULTS, 40123, pod(), noClient());

        assertThat(source).isInstanceOf(StaticMembershipSource.class);
        assertThat(source.self()).isEqualTo("127.0.0.1:40123");
        assertThat(clientsAskedFor).hasValue(0);
    }

    @Test
    void autoInAPodIsKubernetesUnlessPeersAreListed() throws IOException {
        runInAPod();
        assertThat(MembershipSources.resolve(settings(Mode.AUTO, List.of(), "demo-peers"), pod())).isEqualTo(Mode.KUBERNETES);
        assertThat(MembershipSources.resolve(settings(Mode.AUTO, List.of("10.0.0.2:7100"), null), pod())).isEqualTo(Mode.STATIC);
        assertThat(MembershipSources.resolve(settings(Mode.STATIC, List.of(), null), pod())).isEqualTo(Mode.STATIC);

        MembershipSource source = MembershipSources.create(settings(Mode.AUTO, List.of("10.0.0.2:7100"), null), PEER_PORT,
                pod(), noClient());
        assertThat(source).isInstanceOf(StaticMembershipSource.class);
        assertThat(clientsAskedFor).hasValue(0);
    }

    @Test
    void kubernetesDiscoveryInAPodWatchesTheServiceAsPodIpAndPeerPort() throws IOException {
        runInAPod();
        try (FakeApiServer api = new FakeApiServer(); KubernetesClient client = api.newNodeClient()) {
            api.apply(slice("demo-peers-a", "demo-peers", PEER_PORT, endpoint("10.0.0.1", true, false),
                    endpoint("10.0.0.2", true, false)).build());
            MembershipSource source = MembershipSources.create(settings(Mode.AUTO, List.of(), "demo-peers"), PEER_PORT,
                    pod(), () -> client);
            try (source) {
                assertThat(source).isInstanceOf(EndpointSliceMembershipSource.class);
                assertThat(source.self()).isEqualTo("10.0.0.1:7100");
                assertThat(source.description()).contains("service 'demo-peers'", "namespace 'cache'", api.url());
                Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
                source.start(membership);
                await().atMost(Duration.ofSeconds(10)).until(source::ready);
                assertThat(membership.ring().members()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");
            }
        }
    }

    @Test
    void aDualStackPodIsTheAddressOfPodIpsThatTheServicesSlicesList() throws IOException {
        runInAPod();
        variables.put("POD_IP", "fd00::1");
        variables.put("POD_IPS", "fd00::1,10.0.0.1");
        try (FakeApiServer api = new FakeApiServer(); KubernetesClient client = api.newNodeClient()) {
            api.apply(slice("demo-peers-a", "demo-peers", PEER_PORT, endpoint("10.0.0.1", true, false),
                    endpoint("10.0.0.2", true, false)).build());
            try (MembershipSource source = MembershipSources.create(settings(Mode.KUBERNETES, List.of(), "demo-peers"),
                    PEER_PORT, pod(), () -> client)) {
                // Until the slices are read the node is its primary address.
                assertThat(source.self()).isEqualTo("fd00::1:7100");
                Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
                source.start(membership);
                await().atMost(Duration.ofSeconds(10)).until(source::ready);
                assertThat(source.self()).isEqualTo("10.0.0.1:7100");
                assertThat(membership.self()).isEqualTo("10.0.0.1:7100");
                assertThat(membership.ring().members()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");
            }
        }
    }

    @Test
    void aBadPodIpsStopsKubernetesDiscoveryNamingItBeforeMakingAClient() throws IOException {
        runInAPod();
        variables.put("POD_IPS", "10.0.0.1,node-1.example");
        assertThatThrownBy(() -> MembershipSources.create(settings(Mode.KUBERNETES, List.of(), "demo-peers"), PEER_PORT,
                pod(), noClient())).isInstanceOf(ConfigException.class).hasMessageStartingWith("POD_IPS:");
        assertThat(clientsAskedFor).hasValue(0);
    }

    @Test
    void kubernetesDiscoveryWithoutItsInputsNamesWhatIsMissingBeforeMakingAClient() throws IOException {
        assertThatThrownBy(() -> MembershipSources.create(settings(Mode.KUBERNETES, List.of(), "demo-peers"), PEER_PORT,
                pod(), noClient())).isInstanceOf(ConfigException.class).hasMessageStartingWith("POD_IP:");

        variables.put("POD_IP", "10.0.0.1");
        assertThatThrownBy(() -> MembershipSources.create(settings(Mode.KUBERNETES, List.of(), "demo-peers"), PEER_PORT,
                pod(), noClient())).isInstanceOf(ConfigException.class).hasMessageStartingWith("POD_NAMESPACE:");

        runInAPod();
        assertThatThrownBy(() -> MembershipSources.create(settings(Mode.AUTO, List.of(), null), PEER_PORT, pod(), noClient()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.discovery.service: is required with Kubernetes discovery")
                .hasMessageContaining("ringcache.discovery=static");
        assertThat(clientsAskedFor).hasValue(0);
    }
}
