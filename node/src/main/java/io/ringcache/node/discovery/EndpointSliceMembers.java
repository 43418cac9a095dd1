package io.ringcache.node.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ring's members as a Service's EndpointSlices list them: {@code address:port} of every endpoint that is
 * ready and not terminating, merged over all slices, each member once. Pure: no client, no state.
 *
 * <p>Conditions follow the EndpointSlice API: a missing {@code ready} counts as ready, a missing
 * {@code terminating} as not terminating. A terminating endpoint is draining: it leaves the ring (no new keys
 * go to it) while it still answers and hands its entries off. Of an endpoint's addresses only the first is
 * used (the API says they are fungible). Only slices of this node's address family count: in a dual-stack
 * cluster every pod is listed twice, once per family, and must be one member, not two. The port is the
 * slice's port named {@value #PEER_PORT_NAME}; a slice without one (or with a port that has no number, which
 * the API uses for "all ports") uses the configured peer port.
 */
final class EndpointSliceMembers {

    /** The name of the peer port in the headless Service, hence in its EndpointSlices. */
    static final String PEER_PORT_NAME = "peer";

    private EndpointSliceMembers() {
    }

    /**
     * @param slices the Service's slices, in any order, possibly listing an endpoint more than once
     * @param addressType {@code IPv4} or {@code IPv6}: the family of this node's own address
     * @param defaultPeerPort the port of slices that do not name a peer port
     * @return the members, sorted
     */
    static Set<String> of(Collection<EndpointSlice> slices, String addressType, int defaultPeerPort) {
        Set<String> members = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            if (!addressType.equals(slice.getAddressType()) || slice.getEndpoints() == null) {
                continue;
            }
            int port = peerPort(slice.getPorts(), defaultPeerPort);
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (inRing(endpoint.getConditions()) && endpoint.getAddresses() != null
                        && !endpoint.getAddresses().isEmpty()) {
                    members.add(endpoint.getAddresses().get(0) + ":" + port);
                }
            }
        }
        return members;
    }

    /**
     * The peer ports the slices list {@code ip} with, as the first address of an endpoint in any condition (ready or
     * not, terminating or not): the ports a member with that address has, or will have, in the ring.
     *
     * @param slices the Service's slices
     * @param addressType the family of {@code ip}
     * @param ip the address to look for
     * @param defaultPeerPort the port of slices that do not name a peer port
     * @return the ports, sorted; empty when no slice lists {@code ip}
     */
    static Set<Integer> peerPortsOf(Collection<EndpointSlice> slices, String addressType, String ip,
                                    int defaultPeerPort) {
        Set<Integer> ports = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            if (!addressType.equals(slice.getAddressType()) || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()
                        && ip.equals(endpoint.getAddresses().get(0))) {
                    ports.add(peerPort(slice.getPorts(), defaultPeerPort));
                }
            }
        }
        return ports;
    }

    /** {@code IPv6} for an address with a colon, else {@code IPv4}: the EndpointSlice address type of {@code ip}. */
    static String addressTypeOf(String ip) {
        return ip.indexOf(':') >= 0 ? "IPv6" : "IPv4";
    }

    private static boolean inRing(EndpointConditions conditions) {
        if (conditions == null) {
            return true;
        }
        return !Boolean.FALSE.equals(conditions.getReady()) && !Boolean.TRUE.equals(conditions.getTerminating());
    }

    private static int peerPort(List<EndpointPort> ports, int defaultPeerPort) {
        if (ports != null) {
            for (EndpointPort port : ports) {
                if (PEER_PORT_NAME.equals(port.getName()) && port.getPort() != null) {
                    return port.getPort();
                }
            }
        }
        return defaultPeerPort;
    }
}
