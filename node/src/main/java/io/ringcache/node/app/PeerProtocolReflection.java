package io.ringcache.node.app;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.Append;
import io.ringcache.node.peer.proto.Clear;
import io.ringcache.node.peer.proto.Count;
import io.ringcache.node.peer.proto.Counted;
import io.ringcache.node.peer.proto.Delete;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.ExpireCondition;
import io.ringcache.node.peer.proto.ExpireIf;
import io.ringcache.node.peer.proto.ExpiryMode;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.GetAndDelete;
import io.ringcache.node.peer.proto.GetAndExpire;
import io.ringcache.node.peer.proto.IncrementBy;
import io.ringcache.node.peer.proto.Invalidate;
import io.ringcache.node.peer.proto.Mutate;
import io.ringcache.node.peer.proto.Mutated;
import io.ringcache.node.peer.proto.NotFound;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Persist;
import io.ringcache.node.peer.proto.Ping;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Set;
import io.ringcache.node.peer.proto.SetCondition;
import io.ringcache.node.peer.proto.SetIf;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.peer.proto.Value;

/**
 * Keeps the peer protocol's messages reflectable in a native executable. Parsing and writing use generated
 * code and need no reflection, but protobuf's descriptor-based API does ({@code toString()}, {@code TextFormat},
 * {@code getAllFields()} go through {@code GeneratedMessage.FieldAccessorTable}, which looks up each message's
 * and builder's accessors by name): without this, logging a message would fail only in native mode. Nested
 * classes (builders, oneof cases) are registered with their message. {@code PeerProtocolReflectionTest} fails
 * when a message of {@code peer.proto} is missing here.
 */
@RegisterForReflection(targets = {PeerRequest.class, PeerResponse.class, Get.class, Set.class, Delete.class,
        Invalidate.class, Transfer.class, Entry.class, Ping.class, Value.class, NotFound.class, Ack.class, Pong.class,
        PeerError.class, Mutate.class, SetIf.class, IncrementBy.class, Append.class, ExpireIf.class, Persist.class,
        GetAndDelete.class, GetAndExpire.class, Mutated.class, Count.class, Counted.class, Clear.class,
        ExpiryMode.class, SetCondition.class, ExpireCondition.class})
public final class PeerProtocolReflection {

    private PeerProtocolReflection() {
    }
}
