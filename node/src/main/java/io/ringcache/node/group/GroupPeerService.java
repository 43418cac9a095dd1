package io.ringcache.node.group;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerService;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.Counted;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.peer.proto.Value;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Serves other nodes' requests from this node's groups. A request that reached this node is served here,
 * whoever the ring says owns its key: it has been forwarded once already, and forwarding it again could
 * loop between nodes that disagree about the ring. The one exception is a read-modify-write of a key this node
 * neither owns nor backs up in its ring: it holds no value to apply it to, so it refuses it ({@code NOT_OWNER})
 * and the sender may try a member that does. Likewise an entry handed over for a key this node neither owns nor
 * backs up in its ring is refused, entry by entry, to a sender that keeps what is refused: kept here, no request
 * would find it. A write whose deadline passed before it is applied is refused too
 * ({@code DEADLINE_EXCEEDED}): its sender has given up on it. Every failure becomes an error response with a code
 * the sender turns back into the same exception.
 */
public final class GroupPeerService implements PeerService {

    private static final Logger LOG = Logger.getLogger(GroupPeerService.class);

    private final Groups groups;
    private final Membership membership;
    /** Whether this node still has entries to hand to a member: told to new owners that ask for a key. */
    private final Predicate<String> owesEntriesTo;
    private final LongAdder entriesHandedOverReceived = new LongAdder();
    private final LongAdder entriesHandedOverKept = new LongAdder();
    private final LongAdder entriesHandedOverRefused = new LongAdder();

    /**
     * @param membership this node's id (for pings) and whether it is leaving the ring
     * @param owesEntriesTo whether this node's hand-off still has entries for a member (by member id)
     */
    public GroupPeerService(Groups groups, Membership membership, Predicate<String> owesEntriesTo) {
        this.groups = groups;
        this.membership = membership;
        this.owesEntriesTo = owesEntriesTo;
    }

    @Override
    public CompletionStage<PeerResponse> handle(PeerRequest request, Deadline deadline) {
        try {
            return serve(request, deadline).exceptionally(GroupPeerService::error);
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

    /** Of those, the entries refused: this node's ring gave their keys to other members (their senders keep them). */
    public long entriesHandedOverRefused() {
        return entriesHandedOverRefused.sum();
    }

    private CompletableFuture<PeerResponse> serve(PeerRequest request, Deadline deadline) {
        if (membership.isLeaving() && !servedWhileLeaving(request)) {
            // Whatever this node answered or stored now would be gone in a moment: send the caller on.
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setError(PeerError.newBuilder()
                    .setCode(PeerError.Code.LEAVING).setMessage(membership.self() + " is leaving the ring")).build());
        }
        if (changesEntries(request) && deadline.passed()) {
            // Its sender gave up on it and told its caller it may or may not have been applied: keep it "not".
            throw new DeadlinePassedException("the deadline passed before " + membership.self() + " could apply the "
                    + request.getOpCase() + "; it was not applied");
        }
        String from = request.getFrom();
        return switch (request.getOpCase()) {
            case GET -> {
                Group group = groups.get(request.getGet().getGroup());
                boolean peek = request.getGet().getPeek();
                CompletableFuture<PeerResponse> served = group.owner()
                        .serveGet(from, request.getGet().getKey(), peek).thenApply(GroupPeerService::valueOrNotFound);
                // A new owner asking its key's previous owner learns whether to go on asking (see PreviousOwners).
                yield peek ? served.thenApply(r -> r.toBuilder().setHandingOff(owesEntriesTo.test(from)).build())
                        : served;
            }
            case SET -> {
                var set = request.getSet();
                Group group = groups.get(set.getGroup());
                byte[] value = set.getValue().toByteArray();
                group.local().checkPut(set.getKey(), value, Optional.empty());
                KeyWrite.Put put = new KeyWrite.Put(value, PeerCalls.expiryFromWire(set.getExpiresAtMillis()));
                yield write(group, set.getKey(), put, set.getVersion(), set.getBackup(), set.getHinted(), deadline);
            }
            case DELETE -> {
                var delete = request.getDelete();
                Group group = groups.get(delete.getGroup());
                group.local().checkKey(delete.getKey());
                yield write(group, delete.getKey(), new KeyWrite.Delete(), delete.getVersion(), delete.getBackup(),
                        delete.getHinted(), deadline);
            }
            case INVALIDATE -> {
                groups.get(request.getInvalidate().getGroup()).invalidateCopy(request.getInvalidate().getKey());
                yield CompletableFuture.completedFuture(ack(false));
            }
            case TRANSFER -> CompletableFuture.completedFuture(PeerResponse.newBuilder()
                    .setAck(acceptHandedOver(from, request.getTransfer())).build());
            case MUTATE -> {
                var mutate = request.getMutate();
                Group group = groups.get(mutate.getGroup());
                Mutation mutation = MutationCodec.decode(mutate);
                group.local().checkMutation(mutate.getKey(), mutation);
                if (!group.keepsCopyOf(mutate.getKey())) {
                    throw new NotOwnerException(membership.self() + " neither owns nor backs up the key in its ring,"
                            + " so it holds no value to change; it did not apply the change");
                }
                yield group.owner().mutate(mutate.getKey(), mutation, deadline)
                        .thenApply(result -> PeerResponse.newBuilder().setMutated(MutationCodec.encode(result)).build());
            }
            case COUNT -> CompletableFuture.completedFuture(PeerResponse.newBuilder().setCounted(
                    Counted.newBuilder().setEntries(groups.get(request.getCount().getGroup()).owner().ownedEntries())).build());
            case CLEAR -> groups.get(request.getClear().getGroup()).clearHere(request.getClear().getVersion(), deadline)
                    .thenApply(done -> ack(false));
            case PING -> CompletableFuture.completedFuture(
                    PeerResponse.newBuilder().setPong(Pong.newBuilder().setMember(membership.self())).build());
            case OP_NOT_SET -> throw new IllegalArgumentException("a request with no operation");
        };
    }

    /**
     * Keeps the entries of a hand-off batch this node holds no newer version of. An entry that cannot live here
     * (a group this node does not have, a key or value over its limits, as after a change of configuration
     * between the two nodes) is skipped, and logged, rather than refusing the batch: its sender would offer the
     * whole batch again and again, and the good entries would never arrive.
     *
     * <p>When the sender keeps what is refused ({@code keeps_refused}), an entry whose key this node neither owns
     * nor backs up in its ring is refused, by its position in the answer: the rings of sender and receiver differ
     * while members change (one heard of a change the other has not yet). Kept here, no request would be routed to
     * it, and this node's next ring change would drop it as a leftover whose owner has it, while the sender, told
     * it was kept, dropped its own copy: an acknowledged write lost. Refused, it stays on the sender, which offers
     * it again, to the key's owners in its ring by then. When the ring changes while the batch is stored, an entry
     * stored meanwhile is judged again by the ring after it, and taken back if refused. An older sender, which would
     * drop refused entries, gets every entry kept, as before. A sender that has left for good is not refused what
     * this node's ring without it gives this node: that is where the ring is going, and with static members it
     * never gets there at all (the others' lists keep naming a stopped node, whose keys fall to the next member, as
     * reads for them do).
     */
    private Ack acceptHandedOver(String from, Transfer transfer) {
        Ack.Builder answer = Ack.newBuilder();
        HashRing ring = membership.ring();
        HashRing goingTo = transfer.getSenderLeaving() ? withoutMember(ring, from) : ring;
        int skipped = 0;
        RuntimeException firstSkipped = null;
        for (int i = 0; i < transfer.getEntriesCount(); i++) {
            Entry e = transfer.getEntries(i);
            entriesHandedOverReceived.increment();
            try {
                Group group = groups.get(e.getGroup());
                if (transfer.getKeepsRefused() && !group.keepsCopyOf(ring, e.getKey())
                        && !group.keepsCopyOf(goingTo, e.getKey())) {
                    answer.addRefused(i);
                    entriesHandedOverRefused.increment();
                    continue;
                }
                LocalGroup local = group.local();
                byte[] value = e.getValue().toByteArray();
                local.checkPut(e.getKey(), value, Optional.empty());
                if (local.acceptHandedOver(e.getKey(), value, PeerCalls.expiryFromWire(e.getExpiresAtMillis()),
                        e.getVersion())) {
                    HashRing now = membership.ring();
                    if (transfer.getKeepsRefused() && now != ring) {
                        // The ring changed while the batch was stored: this node's hand-off of that change may have
                        // looked at its entries before this one was here, and then passes it on to nobody. Judged
                        // again by the ring read after storing it (a change after that read finds it here).
                        ring = now;
                        goingTo = transfer.getSenderLeaving() ? withoutMember(ring, from) : ring;
                        if (!group.keepsCopyOf(ring, e.getKey()) && !group.keepsCopyOf(goingTo, e.getKey())) {
                            takeBack(local, e);
                            answer.addRefused(i);
                            entriesHandedOverRefused.increment();
                            continue;
                        }
                    }
                    entriesHandedOverKept.increment();
                }
            } catch (UnknownGroupException | InvalidKeyException | ValueTooLargeException ex) {
                skipped++;
                if (firstSkipped == null) {
                    firstSkipped = ex;
                }
            }
        }
        if (skipped > 0) {
            LOG.warnf("skipped %d of %d entries handed over by %s: they cannot live here (the first: %s)", skipped,
                    transfer.getEntriesCount(), from, firstSkipped.getMessage());
        }
        if (answer.getRefusedCount() > 0) {
            LOG.infof("refused %d of %d entries handed over by %s: this node's ring gives their keys to other members;"
                    + " the sender keeps them", answer.getRefusedCount(), transfer.getEntriesCount(), from);
        }
        return answer.build();
    }

    /** Removes the value {@code e} just stored here, unless a write of the key replaced it meanwhile. */
    private static void takeBack(LocalGroup local, Entry e) {
        StoredValue stored = local.mainStore().peek(e.getKey());
        if (stored != null && stored.version() == e.getVersion()) {
            local.dropHandedOver(e.getKey(), stored);
        }
    }

    /** {@code ring} without {@code member}; {@code ring} itself when it does not hold it. */
    private static HashRing withoutMember(HashRing ring, String member) {
        if (!ring.contains(member)) {
            return ring;
        }
        List<String> others = new ArrayList<>(ring.members());
        others.remove(member);
        return ring.withMembers(others);
    }

    /**
     * A write to apply as the key's owner (versioned here), or a copy of one another member applied with
     * {@code version}: a backup's (stored unless a newer version is held) or a hinted one (applied as the
     * owner unless a newer version is held).
     *
     * @param deadline when the sender stops waiting: an owner's write that waits for its turn until then is not applied
     */
    private static CompletableFuture<PeerResponse> write(Group group, String key, KeyWrite write, long version,
                                                         boolean backup, boolean hinted, Deadline deadline) {
        if (backup && hinted) {
            throw new IllegalArgumentException("a write cannot be both a backup copy and a hinted one");
        }
        if ((backup || hinted) && version == StoredValue.UNVERSIONED) {
            throw new IllegalArgumentException("a copy of a write needs the version its owner gave it");
        }
        if (backup) {
            return CompletableFuture.completedFuture(ack(write.applyIfNewer(group.local(), key, version)));
        }
        CompletableFuture<Boolean> applied = hinted ? group.owner().writeHinted(key, write, version)
                : group.owner().write(key, write, deadline);
        return applied.thenApply(GroupPeerService::ack);
    }

    /** Whether {@code request} writes entries here: it is not started once its deadline passed. */
    private static boolean changesEntries(PeerRequest request) {
        return switch (request.getOpCase()) {
            case SET, DELETE, MUTATE, TRANSFER, CLEAR -> true;
            default -> false;
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
            return PeerResponse.newBuilder()
                    .setNotFound(PeerCalls.notFound(served.removedVersion(), served.evictedVersion())).build();
        }
        return PeerResponse.newBuilder().setValue(Value.newBuilder()
                .setValue(ByteString.copyFrom(served.value().value()))
                .setExpiresAtMillis(PeerCalls.expiryToWire(served.value().expiresAtMillis()))
                .setHot(served.hot())
                .setVersion(served.value().version())).build();
    }

    private static PeerResponse ack(boolean removed) {
        return PeerResponse.newBuilder().setAck(Ack.newBuilder().setRemoved(removed)).build();
    }

    private static PeerResponse error(Throwable failure) {
        return PeerResponse.newBuilder().setError(PeerCalls.errorOf(failure)).build();
    }
}
