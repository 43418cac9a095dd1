package io.ringcache.node.group;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.peer.proto.Clear;
import io.ringcache.node.peer.proto.Count;
import io.ringcache.node.peer.proto.Delete;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.Invalidate;
import io.ringcache.node.peer.proto.Mutate;
import io.ringcache.node.peer.proto.NotFound;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.Set;
import io.ringcache.node.store.StoredValue;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The peer-protocol messages a group sends, and the errors they carry, in both directions. Every request is served
 * by the node that receives it, which never forwards it again.
 */
final class PeerCalls {

    private PeerCalls() {
    }

    static PeerRequest get(String from, String group, String key, boolean peek) {
        return PeerRequest.newBuilder().setFrom(from)
                .setGet(Get.newBuilder().setGroup(group).setKey(key).setPeek(peek)).build();
    }

    /** A write asked of the key's owner, which versions it. */
    static PeerRequest set(String from, String group, String key, byte[] value, long expiresAtMillis) {
        return PeerRequest.newBuilder().setFrom(from)
                .setSet(Set.newBuilder().setGroup(group).setKey(key).setValue(ByteString.copyFrom(value))
                        .setExpiresAtMillis(expiryToWire(expiresAtMillis))).build();
    }

    /** A write applied with {@code version} by a member acting as the key's owner, taken to another as a {@code copy}. */
    static PeerRequest setCopy(String from, String group, String key, byte[] value, long expiresAtMillis, long version,
                               Copy copy) {
        return PeerRequest.newBuilder().setFrom(from)
                .setSet(Set.newBuilder().setGroup(group).setKey(key).setValue(ByteString.copyFrom(value))
                        .setExpiresAtMillis(expiryToWire(expiresAtMillis)).setVersion(version)
                        .setBackup(copy == Copy.BACKUP).setHinted(copy == Copy.HINT)).build();
    }

    /** A delete asked of the key's owner, which versions it. */
    static PeerRequest delete(String from, String group, String key) {
        return PeerRequest.newBuilder().setFrom(from)
                .setDelete(Delete.newBuilder().setGroup(group).setKey(key)).build();
    }

    /** As {@link #setCopy} for a delete. */
    static PeerRequest deleteCopy(String from, String group, String key, long version, Copy copy) {
        return PeerRequest.newBuilder().setFrom(from)
                .setDelete(Delete.newBuilder().setGroup(group).setKey(key).setVersion(version)
                        .setBackup(copy == Copy.BACKUP).setHinted(copy == Copy.HINT)).build();
    }

    static PeerRequest invalidate(String from, String group, String key) {
        return PeerRequest.newBuilder().setFrom(from)
                .setInvalidate(Invalidate.newBuilder().setGroup(group).setKey(key)).build();
    }

    static PeerRequest mutate(String from, Mutate mutate) {
        return PeerRequest.newBuilder().setFrom(from).setMutate(mutate).build();
    }

    static PeerRequest count(String from, String group) {
        return PeerRequest.newBuilder().setFrom(from).setCount(Count.newBuilder().setGroup(group)).build();
    }

    static PeerRequest clear(String from, String group, long version) {
        return PeerRequest.newBuilder().setFrom(from)
                .setClear(Clear.newBuilder().setGroup(group).setVersion(version)).build();
    }

    /** What the receiver of a write's copy does with it, if it holds no newer version of the key. */
    enum Copy {
        /** Stores it, as a backup of the key: nothing more. */
        BACKUP,
        /**
         * Applies it as the key's owner (its backups and hot copies follow): a member applied it in the owner's
         * place while the owner did not answer.
         */
        HINT
    }

    /** {@link StoredValue#NEVER} travels as 0, protobuf's default, so a value without expiry costs no bytes. */
    static long expiryToWire(long expiresAtMillis) {
        return expiresAtMillis == StoredValue.NEVER ? 0 : expiresAtMillis;
    }

    static long expiryFromWire(long wire) {
        return wire == 0 ? StoredValue.NEVER : wire;
    }

    /**
     * A peek's "not found" telling the latest removal (delete, expiry, clear) and eviction of the key remembered here.
     * removed_version carries the newer of the two, as before evicted_version existed: a member from before it reads
     * only that, and goes on dropping the copies older than the eviction (it also refuses a copy of the evicted write
     * for the minute, as it always did: a miss, never a stale read). evicted_version is set only when the eviction is
     * strictly the newer: at the same version as a delete, expiry or clear, the removal's rule (its own version is
     * stale too) must win.
     */
    static NotFound notFound(long removedVersion, long evictedVersion) {
        NotFound.Builder notFound = NotFound.newBuilder().setRemovedVersion(Math.max(removedVersion, evictedVersion));
        if (evictedVersion > removedVersion) {
            notFound.setEvictedVersion(evictedVersion);
        }
        return notFound.build();
    }

    /**
     * What a peek's "not found" from a member tells of the key ({@link #notFound}). With an eviction told,
     * removed_version is that eviction's version: the member's removals, all older, refuse nothing the eviction does
     * not. A member from before evicted_version never sets it (0): its removed_version is taken as a removal, as
     * before.
     */
    static PreviousHolder.Held heldOf(NotFound notFound) {
        long evicted = notFound.getEvictedVersion();
        long removed = notFound.getRemovedVersion();
        long onlyRemoved = removed > evicted ? removed : StoredValue.UNVERSIONED;
        return new PreviousHolder.Held(Optional.empty(), onlyRemoved, evicted);
    }

    /** The exception a peer's error response stands for, so callers here see what they would see locally. */
    static RuntimeException exceptionOf(String member, PeerError error) {
        String message = error.getMessage();
        return switch (error.getCode()) {
            case UNKNOWN_GROUP -> new UnknownGroupException(message);
            case INVALID_KEY -> new InvalidKeyException(message);
            case VALUE_TOO_LARGE -> new ValueTooLargeException(message);
            case LOAD_FAILED -> new LoadFailedException(message);
            case LOAD_TIMEOUT -> new LoadTimeoutException(message);
            case NOT_AN_INTEGER -> new MutationRefusedException(MutationRefusedException.Reason.NOT_AN_INTEGER, message);
            case WOULD_OVERFLOW -> new MutationRefusedException(MutationRefusedException.Reason.WOULD_OVERFLOW, message);
            // The peer says it did not apply the request: it may go to another member.
            case DEADLINE_EXCEEDED, LEAVING, NOT_OWNER ->
                    new PeerUnavailableException("peer " + member + ": " + message);
            default -> new IllegalStateException("peer " + member + " failed: " + message);
        };
    }

    /** The error response code for a failure while serving a peer. */
    static PeerError errorOf(Throwable failure) {
        Throwable e = unwrap(failure);
        PeerError.Code code;
        if (e instanceof UnknownGroupException) {
            code = PeerError.Code.UNKNOWN_GROUP;
        } else if (e instanceof InvalidKeyException) {
            code = PeerError.Code.INVALID_KEY;
        } else if (e instanceof ValueTooLargeException) {
            code = PeerError.Code.VALUE_TOO_LARGE;
        } else if (e instanceof LoadFailedException) {
            code = PeerError.Code.LOAD_FAILED;
        } else if (e instanceof LoadTimeoutException) {
            code = PeerError.Code.LOAD_TIMEOUT;
        } else if (e instanceof MutationRefusedException refused) {
            code = refused.reason() == MutationRefusedException.Reason.NOT_AN_INTEGER
                    ? PeerError.Code.NOT_AN_INTEGER : PeerError.Code.WOULD_OVERFLOW;
        } else if (e instanceof DeadlinePassedException) {
            code = PeerError.Code.DEADLINE_EXCEEDED;
        } else if (e instanceof NotOwnerException) {
            code = PeerError.Code.NOT_OWNER;
        } else {
            code = PeerError.Code.UNKNOWN;
        }
        return PeerError.newBuilder().setCode(code).setMessage(String.valueOf(e.getMessage())).build();
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Whether the member did not serve the call, or may not have: enough to ask another member for a read. */
    static boolean isUnreachable(Throwable error) {
        return unwrap(error) instanceof PeerUnavailableException;
    }

    /**
     * Whether the member certainly did not serve the call (refused, not sent, or answered that it did not apply it):
     * only then may a write go to another member.
     */
    static boolean certainlyNotServed(Throwable error) {
        return isUnreachable(error) && !(unwrap(error) instanceof PeerNoAnswerException);
    }
}
