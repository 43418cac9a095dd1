package io.ringcache.node.discovery;

import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.ringcache.node.discovery.SelfAddress.Choice;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfAddressTest {

    private static final String SERVICE = "demo-peers";
    private static final List<String> IPV6_FIRST = List.of("fd00::1", "10.0.0.1");

    private static EndpointSlice ipv4(String name, EndpointBuilder... endpoints) {
        return slice(name, SERVICE, 7100, endpoints).build();
    }

    private static EndpointSlice ipv6(String name, EndpointBuilder... endpoints) {
        return new EndpointSliceBuilder(ipv4(name, endpoints)).withAddressType("IPv6").build();
    }

    @Test
    void aSingleStackServiceOfTheOtherFamilyListsThePodsSecondAddress() {
        assertThat(SelfAddress.in(List.of(ipv4("a", endpoint("10.0.0.1", false, false))), IPV6_FIRST))
                .contains(new Choice("10.0.0.1", true));
        assertThat(SelfAddress.in(List.of(ipv6("a", endpoint("fd00::1", true, false))), List.of("10.0.0.1", "fd00::1")))
                .contains(new Choice("fd00::1", true));
    }

    @Test
    void aDualStackServiceListsThePodsPrimaryAddress() {
        List<EndpointSlice> slices = List.of(ipv4("a", endpoint("10.0.0.1", true, false)),
                ipv6("b", endpoint("fd00::1", true, false)));

        assertThat(SelfAddress.in(slices, IPV6_FIRST)).contains(new Choice("fd00::1", true));
        assertThat(SelfAddress.in(slices, List.of("10.0.0.1", "fd00::1"))).contains(new Choice("10.0.0.1", true));
    }

    @Test
    void aPodNotListedYetTakesItsAddressInTheFamilyOfTheServicesSlices() {
        // The controller keeps an empty slice of each of the Service's families; an endpoint of another pod says
        // the same, as does only the second address of an endpoint (which never makes a member).
        assertThat(SelfAddress.in(List.of(ipv4("a")), IPV6_FIRST)).contains(new Choice("10.0.0.1", false));
        assertThat(SelfAddress.in(List.of(ipv4("a", endpoint("10.0.0.2", true, false),
                endpoint("10.0.0.3", true, false).withAddresses("10.0.0.3", "10.0.0.1"))), IPV6_FIRST))
                .contains(new Choice("10.0.0.1", false));
    }

    @Test
    void withoutASliceOfThePodsFamiliesThereIsNoAddressYet() {
        EndpointSlice fqdn = new EndpointSliceBuilder(ipv4("a", endpoint("10.0.0.1", true, false)))
                .withAddressType("FQDN").build();

        assertThat(SelfAddress.in(List.of(), IPV6_FIRST)).isEmpty();
        assertThat(SelfAddress.in(List.of(fqdn), IPV6_FIRST)).isEmpty();
        assertThat(SelfAddress.in(List.of(ipv6("a", endpoint("fd00::1", true, false))), List.of("10.0.0.1"))).isEmpty();
    }
}
