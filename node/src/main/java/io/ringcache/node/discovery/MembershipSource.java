package io.ringcache.node.discovery;

import io.ringcache.node.ring.Membership;
import java.util.Optional;

/**
 * Tells a {@link Membership} who the ring's members are, now and whenever that changes. Static and
 * Kubernetes discovery both implement it, so the ring and routing code never knows which one runs.
 *
 * <p>Life cycle: {@link #self()} is known at construction (a {@link Membership} is built with it; a source that
 * learns the node's id only from the members may settle it later, before any ring lists it, through
 * {@link Membership#settleSelf}), then
 * {@link #start} is called once, then {@link #close} once. Member sets reach the membership through
 * {@link Membership#update}, one at a time and in order, from a thread of the source's choosing.
 */
public interface MembershipSource extends AutoCloseable {

    /** This node's member id: {@code host:port} of its peer endpoint, as the other members list it (or will). */
    String self();

    /**
     * Starts delivering member sets to {@code membership}. Returns at once: a source that must ask a server
     * does so in the background and retries failures itself, so a node starts even while discovery fails.
     *
     * @throws IllegalArgumentException if {@code membership} was built for another member id than {@link #self()}
     * @throws IllegalStateException if called twice, or after {@link #close()}
     */
    void start(Membership membership);

    /**
     * Whether a complete member list has been delivered. False until the first one; true from then on, even
     * while later reads fail: the last known ring is kept, which beats taking every node out of service at
     * once when the API server is briefly unreachable.
     */
    boolean ready();

    /** Failed attempts to read the members since start; each failed attempt counts once. Never decreases. */
    long errors();

    /** Member sets delivered to the membership that differed from the one before (the first one counts). */
    long ringUpdates();

    /**
     * While the members list this node's address only with other peer ports than its own, so that it is never
     * itself in its ring (logged once as a WARN saying what to fix): one line naming the listed ports and the one
     * this node serves. Empty while they agree; always empty for a static ring, which lists this node as it
     * names itself.
     */
    Optional<String> peerPortMismatch();

    /** One line for logs and status: which source, reading what. */
    String description();

    /** Stops delivering; idempotent. Leaves alone what it was given (the Kubernetes client stays open). */
    @Override
    void close();
}
