package io.ringcache.node.discovery;

import io.ringcache.node.ring.Membership;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A fixed ring: the configured peers and this node. It is complete at once, so it is ready as soon as it
 * has started, and it never changes.
 */
public final class StaticMembershipSource implements MembershipSource {

    private final String self;
    private final Set<String> members;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param self this node's member id ({@code host:port})
     * @param peers the other members, in any order; {@code self} is added if missing, duplicates are dropped
     */
    public StaticMembershipSource(String self, List<String> peers) {
        this.self = Objects.requireNonNull(self, "self");
        Set<String> all = new LinkedHashSet<>(peers);
        all.add(self);
        this.members = Set.copyOf(all);
    }

    @Override
    public String self() {
        return self;
    }

    /** The members this source delivers, this node included. */
    public Set<String> members() {
        return members;
    }

    /** Delivers the fixed member set once, on the calling thread. */
    @Override
    public synchronized void start(Membership membership) {
        if (!membership.self().equals(self)) {
            throw new IllegalArgumentException("membership is for " + membership.self() + ", this source for " + self);
        }
        if (started || closed) {
            throw new IllegalStateException("a membership source starts once, before it is closed");
        }
        membership.update(members);
        started = true;
    }

    @Override
    public boolean ready() {
        return started;
    }

    @Override
    public long errors() {
        return 0;
    }

    @Override
    public long ringUpdates() {
        return started ? 1 : 0;
    }

    /** Empty: the members always include this node's own id. */
    @Override
    public Optional<String> peerPortMismatch() {
        return Optional.empty();
    }

    @Override
    public String description() {
        return "static: " + members.size() + " members " + members.stream().sorted().toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
