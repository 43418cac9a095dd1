package io.ringcache.node.peer;

import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.concurrent.CompletionStage;

/** What a node does with a request from a peer. Called on a Netty event loop: must not block. */
@FunctionalInterface
public interface PeerService {

    /**
     * @param deadline when the sender stops waiting, counted from when this node read the request: a write whose
     *     deadline passed before it could be applied is answered {@code DEADLINE_EXCEEDED} and not applied
     * @return the response (its {@code id} is filled in by the server); a failed stage becomes an
     *     {@code Error} response with code {@code UNKNOWN}
     */
    CompletionStage<PeerResponse> handle(PeerRequest request, Deadline deadline);
}
