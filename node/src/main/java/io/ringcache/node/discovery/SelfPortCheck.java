package io.ringcache.node.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Whether the Service's slices list this node's address with its own peer port. A node knows itself in its ring
 * only as {@code <address>:<ringcache.peer-port>}: slices that list its address with another port (the Service's
 * {@code peer} port targets another port than the node listens on) put it in every ring under an id that is not
 * its own, at a port it does not listen on. Without a word it would then route every key elsewhere, as if it were
 * no member, while the others fail to reach it.
 *
 * <p>The node keeps its configured port rather than adopting the listed one: its peer server listens there, so
 * the listed port would reach nothing either, and only configuration can fix the mismatch. Hence one WARN per
 * distinct mismatch (the slices change on every pod event, and the mismatch stays until someone fixes it), one
 * INFO when the slices list the node's own port again, and {@link #mismatch()} meanwhile (the readiness data
 * quotes it). A slice without a {@code peer} port lists every address with the configured port, so it never
 * mismatches.
 *
 * <p>Not thread-safe: {@link #check} runs under the source's lock; {@link #mismatch()} may be read by any thread.
 */
final class SelfPortCheck {

    private final Logger log;
    /** For logs: which slices, as {@link SliceQuery#describe()} names them. */
    private final String slicesDescribed;
    /** The port this node's peer server listens on, the port of its member id. */
    private final int peerPort;
    /** The other ports last warned about; empty while there was no warning or since the ports matched again. */
    private Set<Integer> warnedPorts = Set.of();
    /** What the slices list against what this node serves, while they mismatch; null while they agree. */
    private volatile String mismatch;

    SelfPortCheck(Logger log, String slicesDescribed, int peerPort) {
        this.log = log;
        this.slicesDescribed = slicesDescribed;
        this.peerPort = peerPort;
    }

    /**
     * @param slices the Service's slices now
     * @param addressType the slices' family that counts, that of {@code selfIp}
     * @param selfIp this node's address in the slices
     */
    void check(Collection<EndpointSlice> slices, String addressType, String selfIp) {
        Set<Integer> listed = EndpointSliceMembers.peerPortsOf(slices, addressType, selfIp, peerPort);
        boolean mismatched = !listed.isEmpty() && !listed.contains(peerPort);
        mismatch = mismatched ? "the " + slicesDescribed + " list " + selfIp + " with peer port"
                + (listed.size() == 1 ? " " : "s ") + portList(listed) + "; this node serves " + peerPort
                + " (ringcache.peer-port)" : null;
        if (mismatched && !listed.equals(warnedPorts)) {
            warnedPorts = listed;
            log.warnf("Kubernetes discovery: the %s list this node's address %s with peer port%s %s, but its peer "
                    + "server listens on %d (ringcache.peer-port): no ring lists this node as itself (%s:%d), so it "
                    + "routes every key to other members, and they call it at a port it does not listen on. Make the "
                    + "Service's port named '%s' target port %d, or set ringcache.peer-port to the port it targets",
                    slicesDescribed, selfIp, listed.size() == 1 ? "" : "s", portList(listed), peerPort, selfIp,
                    peerPort, EndpointSliceMembers.PEER_PORT_NAME, peerPort);
        } else if (listed.contains(peerPort) && !warnedPorts.isEmpty()) {
            warnedPorts = Set.of();
            log.infof("Kubernetes discovery: the %s list this node's address %s with its peer port %d again",
                    slicesDescribed, selfIp, peerPort);
        }
    }

    /**
     * While the slices list this node's address only with other peer ports than its own: which ports, and the
     * one it serves. Empty while they agree.
     */
    Optional<String> mismatch() {
        return Optional.ofNullable(mismatch);
    }

    private static String portList(Set<Integer> ports) {
        return ports.size() == 1 ? ports.iterator().next().toString() : ports.toString();
    }
}
