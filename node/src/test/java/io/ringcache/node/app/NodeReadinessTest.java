package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class NodeReadinessTest {

    @Test
    void thePeerPortMismatchIsInTheDataWhileTheSourceReportsOneAndTheCheckStaysUp() {
        MismatchedSource source = new MismatchedSource();

        HealthCheckResponse mismatched = readiness(source);
        assertThat(mismatched.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(mismatched.getData()).get().satisfies(data -> assertThat(data)
                .containsEntry("discovery", "a test source").containsEntry("discovery.ready", false)
                .containsEntry("discovery.peer.port.mismatch",
                        "the test slices list 10.0.0.1 with peer port 7200; this node serves 7100"));

        source.mismatch = null;
        HealthCheckResponse agreed = readiness(source);
        assertThat(agreed.getData()).get().satisfies(data -> assertThat(data)
                .containsKeys("discovery", "discovery.ready").doesNotContainKey("discovery.peer.port.mismatch"));
    }

    private static HealthCheckResponse readiness(MismatchedSource source) {
        return NodeReadiness.withDiscovery(HealthCheckResponse.named("test").up(), source).build();
    }
}
