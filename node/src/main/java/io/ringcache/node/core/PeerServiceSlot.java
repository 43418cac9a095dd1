package io.ringcache.node.core;

import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerService;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The peer server's service before the groups exist: the server binds first (its port is part of this
 * node's member id, which the groups' routing needs), and the service is filled in right after. A request
 * arriving in between gets a "starting" error instead of waiting.
 */
final class PeerServiceSlot implements PeerService {

    private volatile PeerService service;

    void fill(PeerService ready) {
        this.service = ready;
    }

    @Override
    public CompletionStage<PeerResponse> handle(PeerRequest request, Deadline deadline) {
        PeerService s = service;
        if (s == null) {
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setError(PeerError.newBuilder()
                    .setCode(PeerError.Code.UNKNOWN).setMessage("the node is starting")).build());
        }
        return s.handle(request, deadline);
    }
}
