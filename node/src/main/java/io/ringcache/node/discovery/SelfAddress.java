package io.ringcache.node.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which of a pod's IPs is its member id: the one its Service's EndpointSlices list, since that is the id every
 * other node knows it by. Pure: no client, no state.
 *
 * <p>A dual-stack pod has an IPv4 and an IPv6 address, its primary one (Kubernetes' {@code status.podIP}) first.
 * A single-stack Service has slices of one family only, the cluster's default Service family, which need not be
 * the family of the pods' primary addresses; a dual-stack Service has slices of both. The pod's address is the
 * first of its IPs (the primary first) of whose family the Service has a slice. With slices of both families that
 * is the primary address, the id every node had while {@code POD_IP} was its only address, so old and new nodes
 * agree during a rolling upgrade. A slice counts even without endpoints: the EndpointSlice controller keeps an
 * empty one of each of the Service's families.
 */
final class SelfAddress {

    private SelfAddress() {
    }

    /**
     * @param ip the pod's address that the Service's slices list, or will list
     * @param listed whether a slice already lists it as an endpoint's address (ready or not): a pod is listed,
     *     not ready, soon after it has its addresses, and its id must not change after that
     */
    record Choice(String ip, boolean listed) {
    }

    /**
     * @param slices the Service's slices
     * @param podIps the pod's IPs, its primary one first
     * @return the pod's address in the Service's family; empty while the Service has no slice of the pod's families
     */
    static Optional<Choice> in(Collection<EndpointSlice> slices, List<String> podIps) {
        for (String ip : podIps) {
            String addressType = EndpointSliceMembers.addressTypeOf(ip);
            List<EndpointSlice> ofFamily = slices.stream().filter(s -> addressType.equals(s.getAddressType())).toList();
            if (!ofFamily.isEmpty()) {
                return Optional.of(new Choice(ip, lists(ofFamily, ip)));
            }
        }
        return Optional.empty();
    }

    private static boolean lists(List<EndpointSlice> slices, String ip) {
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                // Only an endpoint's first address makes a member (EndpointSliceMembers), so only it can be this pod.
                if (endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()
                        && ip.equals(endpoint.getAddresses().get(0))) {
                    return true;
                }
            }
        }
        return false;
    }
}
