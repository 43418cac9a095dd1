package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringcache.node.discovery.StaticMembershipSource;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryMetricsTest {

    @Test
    void metricsReadTheSourceAndTheRingWhenScraped() {
        StaticMembershipSource source = new StaticMembershipSource("127.0.0.1:9001", List.of("127.0.0.1:9002"));
        Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DiscoveryMetrics(source, membership).bindTo(registry);

        assertThat(registry.get("ringcache.discovery.ready").gauge().value()).isZero();
        assertThat(registry.get("ringcache.ring.members").gauge().value()).isZero();

        source.start(membership);

        assertThat(registry.get("ringcache.discovery.ready").gauge().value()).isEqualTo(1);
        assertThat(registry.get("ringcache.discovery.ring.updates").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("ringcache.discovery.errors").functionCounter().count()).isZero();
        assertThat(registry.get("ringcache.ring.members").gauge().value()).isEqualTo(2);
        assertThat(registry.get("ringcache.discovery.peer.port.mismatch").gauge().value()).isZero();
    }

    @Test
    void thePeerPortMismatchGaugeIsOneWhileTheSourceReportsOne() {
        MismatchedSource source = new MismatchedSource();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DiscoveryMetrics(source, new Membership(source.self(), RingSettings.DEFAULTS.emptyRing())).bindTo(registry);

        assertThat(registry.get("ringcache.discovery.peer.port.mismatch").gauge().value()).isEqualTo(1);
        source.mismatch = null;
        assertThat(registry.get("ringcache.discovery.peer.port.mismatch").gauge().value()).isZero();
    }
}
