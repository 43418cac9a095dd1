package io.ringcache.node.app;

import io.ringcache.node.discovery.MembershipSource;
import io.ringcache.node.ring.Membership;
import java.util.Optional;

/** A source that never delivers and reports {@link #mismatch} as its peer port mismatch while it is set. */
final class MismatchedSource implements MembershipSource {

    volatile String mismatch = "the test slices list 10.0.0.1 with peer port 7200; this node serves 7100";

    @Override
    public String self() {
        return "10.0.0.1:7100";
    }

    @Override
    public void start(Membership membership) {
    }

    @Override
    public boolean ready() {
        return false;
    }

    @Override
    public long errors() {
        return 0;
    }

    @Override
    public long ringUpdates() {
        return 0;
    }

    @Override
    public Optional<String> peerPortMismatch() {
        return Optional.ofNullable(mismatch);
    }

    @Override
    public String description() {
        return "a test source";
    }

    @Override
    public void close() {
    }
}
