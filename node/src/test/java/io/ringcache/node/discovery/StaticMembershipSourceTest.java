package io.ringcache.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticMembershipSourceTest {

    @Test
    void theRingIsThePeersAndThisNodeDeliveredAtStart() {
        StaticMembershipSource source = new StaticMembershipSource("127.0.0.1:9001",
                List.of("127.0.0.1:9002", "127.0.0.1:9003", "127.0.0.1:9002"));
        Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
        assertThat(source.ready()).isFalse();

        source.start(membership);

        assertThat(source.ready()).isTrue();
        assertThat(membership.ring().members()).containsExactlyInAnyOrder("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003");
        assertThat(source.ringUpdates()).isEqualTo(1);
        assertThat(source.errors()).isZero();
        assertThat(source.description()).isEqualTo("static: 3 members [127.0.0.1:9001, 127.0.0.1:9002, 127.0.0.1:9003]");
    }

    @Test
    void aNodeListedAmongItsPeersIsOneMember() {
        StaticMembershipSource source = new StaticMembershipSource("127.0.0.1:9001", List.of("127.0.0.1:9001", "127.0.0.1:9002"));
        assertThat(source.members()).containsExactlyInAnyOrder("127.0.0.1:9001", "127.0.0.1:9002");
    }

    @Test
    void aMembershipOfAnotherNodeOrASecondStartIsRefused() {
        StaticMembershipSource source = new StaticMembershipSource("127.0.0.1:9001", List.of());
        assertThatThrownBy(() -> source.start(new Membership("127.0.0.1:9002", RingSettings.DEFAULTS.emptyRing())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1:9002");

        Membership membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
        source.start(membership);
        assertThatThrownBy(() -> source.start(membership)).isInstanceOf(IllegalStateException.class);
    }
}
