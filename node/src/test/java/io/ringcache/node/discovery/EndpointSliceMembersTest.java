package io.ringcache.node.discovery;

import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceMembersTest {

    private static final String SERVICE = "demo-peers";

    @Test
    void readyEndpointsThatAreNotTerminatingAreMembers() {
        EndpointSlice s = slice("a", SERVICE, 7100,
                endpoint("10.0.0.1", true, false),
                endpoint("10.0.0.2", false, false),
                endpoint("10.0.0.3", false, true),
                endpoint("10.0.0.4", true, true)).build();

        assertThat(EndpointSliceMembers.of(List.of(s), "IPv4", 7100)).containsExactly("10.0.0.1:7100");
    }

    @Test
    void missingConditionsMeanReadyAndNotTerminatingAsTheApiDefines() {
        EndpointSlice s = slice("a", SERVICE, 7100,
                new EndpointBuilder().withAddresses("10.0.0.1"),
                new EndpointBuilder().withAddresses("10.0.0.2").withNewConditions().endConditions(),
                new EndpointBuilder().withAddresses("10.0.0.3").withNewConditions().withTerminating(true).endConditions())
                .build();

        assertThat(EndpointSliceMembers.of(List.of(s), "IPv4", 7100)).containsExactly("10.0.0.1:7100", "10.0.0.2:7100");
    }

    @Test
    void slicesAreMergedAndAnEndpointListedTwiceIsOneMember() {
        EndpointSlice a = slice("a", SERVICE, 7100, endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build();
        EndpointSlice b = slice("b", SERVICE, 7100, endpoint("10.0.0.2", true, false), endpoint("10.0.0.3", true, false)).build();

        assertThat(EndpointSliceMembers.of(List.of(a, b), "IPv4", 7100))
                .containsExactly("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7100");
    }

    @Test
    void theSlicePortNamedPeerWinsOverTheConfiguredPort() {
        EndpointSlice named = slice("a", SERVICE, 9001, endpoint("127.0.0.1", true, false)).build();
        EndpointSlice unnamed = new EndpointSliceBuilder(slice("b", SERVICE, 0, endpoint("127.0.0.2", true, false)).build())
                .withPorts(List.of()).addNewPort().withName("http").withPort(8080).endPort().build();
        EndpointSlice allPorts = new EndpointSliceBuilder(slice("c", SERVICE, 0, endpoint("127.0.0.3", true, false)).build())
                .withPorts(List.of()).addNewPort().withName("peer").endPort().build();

        assertThat(EndpointSliceMembers.of(List.of(named, unnamed, allPorts), "IPv4", 7100))
                .containsExactly("127.0.0.1:9001", "127.0.0.2:7100", "127.0.0.3:7100");
    }

    @Test
    void thePeerPortsOfAnAddressAreThoseOfEverySliceListingItInAnyCondition() {
        EndpointSlice notReady = slice("a", SERVICE, 7200, endpoint("10.0.0.1", false, false),
                endpoint("10.0.0.2", true, false)).build();
        EndpointSlice terminating = slice("b", SERVICE, 7300, endpoint("10.0.0.1", false, true)).build();
        EndpointSlice withoutPeerPort = new EndpointSliceBuilder(
                slice("c", SERVICE, 0, endpoint("10.0.0.1", true, false)).build())
                .withPorts(List.of()).addNewPort().withName("http").withPort(8080).endPort().build();
        EndpointSlice secondAddress = slice("d", SERVICE, 7400,
                endpoint("10.0.0.3", true, false).withAddresses("10.0.0.3", "10.0.0.1")).build();
        EndpointSlice v6 = new EndpointSliceBuilder(
                slice("e", SERVICE, 7500, endpoint("10.0.0.1", true, false)).build()).withAddressType("IPv6").build();
        List<EndpointSlice> all = List.of(notReady, terminating, withoutPeerPort, secondAddress, v6);

        assertThat(EndpointSliceMembers.peerPortsOf(all, "IPv4", "10.0.0.1", 7100)).containsExactly(7100, 7200, 7300);
        assertThat(EndpointSliceMembers.peerPortsOf(all, "IPv4", "10.0.0.9", 7100)).isEmpty();
    }

    @Test
    void onlyTheFirstAddressOfAnEndpointCounts() {
        EndpointSlice s = slice("a", SERVICE, 7100,
                endpoint("10.0.0.1", true, false).withAddresses("10.0.0.1", "10.0.0.99")).build();

        assertThat(EndpointSliceMembers.of(List.of(s), "IPv4", 7100)).containsExactly("10.0.0.1:7100");
    }

    @Test
    void inADualStackClusterOnlyTheSlicesOfTheNodesOwnFamilyCount() {
        EndpointSlice v4 = slice("a", SERVICE, 7100, endpoint("10.0.0.1", true, false)).build();
        EndpointSlice v6 = new EndpointSliceBuilder(slice("b", SERVICE, 7100, endpoint("fd00::1", true, false)).build())
                .withAddressType("IPv6").build();
        EndpointSlice fqdn = new EndpointSliceBuilder(slice("c", SERVICE, 7100, endpoint("node.example", true, false)).build())
                .withAddressType("FQDN").build();

        assertThat(EndpointSliceMembers.of(List.of(v4, v6, fqdn), "IPv4", 7100)).containsExactly("10.0.0.1:7100");
        assertThat(EndpointSliceMembers.of(List.of(v4, v6, fqdn), "IPv6", 7100)).containsExactly("fd00::1:7100");
        assertThat(EndpointSliceMembers.addressTypeOf("10.1.2.3")).isEqualTo("IPv4");
        assertThat(EndpointSliceMembers.addressTypeOf("fd00::1")).isEqualTo("IPv6");
    }

    @Test
    void aSliceWithoutEndpointsOrAnEndpointWithoutAddressesAddsNothing() {
        EndpointSlice empty = slice("a", SERVICE, 7100).build();
        empty.setEndpoints(null);
        EndpointSlice noAddress = slice("b", SERVICE, 7100, endpoint("10.0.0.1", true, false).withAddresses(List.of())).build();

        assertThat(EndpointSliceMembers.of(List.of(empty, noAddress), "IPv4", 7100)).isEmpty();
    }
}
