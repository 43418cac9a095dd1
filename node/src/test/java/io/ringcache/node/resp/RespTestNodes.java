package io.ringcache.node.resp;

import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Limits;
import io.ringcache.node.peer.PeerSettings;
import io.ringcache.node.store.TimeSource;
import java.util.List;
import java.util.Optional;

/** Plain-Java nodes for RESP tests: loopback, free ports, one group {@code default}. */
final class RespTestNodes {

    private RespTestNodes() {
    }

    static NodeSettings settings(Optional<String> password, Limits limits) {
        return NodeSettings.defaults()
                .withGroups(List.of(GroupSettings.defaults(GroupSettings.DEFAULT_NAME)))
                .withLimits(limits)
                .withPeer(PeerSettings.defaults("127.0.0.1", 0))
                .withResp(new RespSettings(true, "127.0.0.1", 0, GroupSettings.DEFAULT_NAME, password));
    }

    static CacheNode start() {
        return CacheNode.start(settings(Optional.empty(), Limits.DEFAULTS));
    }

    static CacheNode start(Optional<String> password, Limits limits, TimeSource time) {
        return CacheNode.start(settings(password, limits), time);
    }
}
