package io.ringcache.node.group;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.PeerService;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.Counted;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.NotFound;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Value;
import io.ringcache.node.ring.Membership;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves other nodes' requests from this node's groups. A request that reached this node is served here,
 * whoever the ring says owns its key: it has been forwarded once already, and forwarding it again could
 * loop between nodes that disagree about the ring. Every failure becomes an error response with a code the
 * sender turns back into the same exception.
 */
public final class GroupPeerService implements PeerService {

    private final Groups groups;
    private final Membership membership;
    private final LongAdder entriesHandedOverReceived = new LongAdder();
    private final LongAdder entriesHandedOverKept = new LongAdder();

    /**
     * @param membership this node's id (for pings) and whether it is leaving the ring
     */
    public GroupPeerService(Groups groups, Membership membership) {
        this.groups = groups;
        this.membership = membership;
    }

    @Override
    public CompletionStage<PeerResponse> handle(PeerRequest request) {
        try {
            return serve(request).exceptionally(GroupPeerService::error);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e));
        }
    }

    /** Entries other nodes handed to this one after ring changes. */
    public long entriesHandedOverReceived() {
        return entriesHandedOverReceived.sum();
    }

    /** Of those, the entries kept: the others were already here (newer), deleted meanwhile, or expired. */
    public long entriesHandedOverKept() {
        return entriesHandedOverKept.sum();
    }

    private CompletableFuture<PeerResponse> serve(PeerRequest request) {
        if (membership.isLeaving() && !servedWhileLeaving(request)) {
            // Whatever this node answered or stored now would be gone in a moment: send the caller on.
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setError(PeerError.newBuilder()
                    .setCode(PeerError.Code.LEAVING).setMessage(membership.self() + " is leaving the ring")).build());
        }
        String from = request.getFrom();
        return switch (request.getOpCase()) {
            case GET -> {
                Group group = groups.get(request.getGet().getGroup());
                yield group.owner().serveGet(from, request.getGet().getKey(), request.getGet().getPeek())
                        .thenApply(GroupPeerService::valueOrNotFound);
            }
            case SET -> {
                var set = request.getSet();
                Group group = groups.get(set.getGroup());
                byte[] value = set.getValue().toByteArray();
                group.local().checkPut(set.getKey(), value, Optional.empty());
                KeyWrite.Put put = new KeyWrite.Put(value, PeerCalls.expiryFromWire(set.getExpiresAtMillis()));
                yield set.getBackup()
                        ? CompletableFuture.completedFuture(ack(put.applyTo(group.local(), set.getKey())))
                        : group.owner().write(set.getKey(), put).thenApply(GroupPeerService::ack);
            }
            case DELETE -> {
                var delete = request.getDelete();
                Group group = groups.get(delete.getGroup());
                KeyWrite.Delete write = new KeyWrite.Delete();
                yield delete.getBackup()
                        ? CompletableFuture.completedFuture(ack(write.applyTo(group.local(), delete.getKey())))
                        : group.owner().write(delete.getKey(), write).thenApply(GroupPeerService::ack);
            }
            case INVALIDATE -> {
                groups.get(request.getInvalidate().getGroup()).invalidateCopy(request.getInvalidate().getKey());
                yield CompletableFuture.completedFuture(ack(false));
            }
            case TRANSFER -> {
                for (Entry e : request.getTransfer().getEntriesList()) {
                    LocalGroup local = groups.get(e.getGroup()).local();
                    byte[] value = e.getValue().toByteArray();
                    local.checkPut(e.getKey(), value, Optional.empty());
                    entriesHandedOverReceived.increment();
                    if (local.acceptHandedOver(e.getKey(), value, PeerCalls.expiryFromWire(e.getExpiresAtMillis()))) {
                        entriesHandedOverKept.increment();
                    }
                }
                yield CompletableFuture.completedFuture(ack(false));
            }
            case MUTATE -> {
                var mutate = request.getMutate();
                Group group = groups.get(mutate.getGroup());
                Mutation mutation = MutationCodec.decode(mutate);
                group.local().checkMutation(mutate.getKey(), mutation);
                yield group.owner().mutate(mutate.getKey(), mutation)
                        .thenApply(result -> PeerResponse.newBuilder().setMutated(MutationCodec.encode(result)).build());
            }
            case COUNT -> CompletableFuture.completedFuture(PeerResponse.newBuilder().setCounted(
                    Counted.newBuilder().setEntries(groups.get(request.getCount().getGroup()).owner().ownedEntries())).build());
            case CLEAR -> {
                groups.get(request.getClear().getGroup()).clearHere();
                yield CompletableFuture.completedFuture(ack(false));
            }
            case PING -> CompletableFuture.completedFuture(
                    PeerResponse.newBuilder().setPong(Pong.newBuilder().setMember(membership.self())).build());
            case OP_NOT_SET -> throw new IllegalArgumentException("a request with no operation");
        };
    }

    /** While leaving, a node still answers new owners asking for entries not yet handed over, and pings. */
    private static boolean servedWhileLeaving(PeerRequest request) {
        return switch (request.getOpCase()) {
            case GET -> request.getGet().getPeek();
            case PING, INVALIDATE -> true;
            default -> false;
        };
    }

    private static PeerResponse valueOrNotFound(GroupOwner.Served served) {
        if (served.value() == null) {
            return PeerResponse.newBuilder().setNotFound(NotFound.getDefaultInstance()).build();
        }
        return PeerResponse.newBuilder().setValue(Value.newBuilder()
                .setValue(ByteString.copyFrom(served.value().value()))
                .setExpiresAtMillis(PeerCalls.expiryToWire(served.value().expiresAtMillis()))
                .setHot(served.hot())).build();
    }

    private static PeerResponse ack(boolean removed) {
        return PeerResponse.newBuilder().setAck(Ack.newBuilder().setRemoved(removed)).build();
    }

    private static PeerResponse error(Throwable failure) {
        return PeerResponse.newBuilder().setError(PeerCalls.errorOf(failure)).build();
    }
}
