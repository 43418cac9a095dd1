package io.ringcache.node.handoff;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One transfer being filled for one new owner: entries of one group, up to a size on the wire. The size is that of
 * the encoded {@link Transfer} message as protobuf computes it, each entry with its field tag, its length and every
 * field (the group's name, the expiry and the version go with each one), not the entries' key and value bytes: for
 * tiny entries those fields outweigh the data, and a batch cut by data alone came out larger than the limit, and
 * larger than a peer frame. One entry larger than the limit on its own is a batch alone, so that it moves at all
 * (every entry fits a peer frame: the node's settings make the frame larger than the largest key and value).
 */
final class TransferBatch {

    private final String group;
    private final int limitBytes;
    private final boolean senderLeaving;
    private final List<Moving> entries = new ArrayList<>();
    /** The encoded size of {@link #transfer()}: its flags, then each entry added. */
    private int bytes;

    /**
     * @param limitBytes the largest encoded size of the batch
     * @param senderLeaving whether this node has left the ring for good ({@link Transfer#getSenderLeaving()})
     */
    TransferBatch(String group, int limitBytes, boolean senderLeaving) {
        this.group = group;
        this.limitBytes = limitBytes;
        this.senderLeaving = senderLeaving;
        // A false flag is not written at all (proto3), so it counts nothing.
        this.bytes = CodedOutputStream.computeBoolSize(Transfer.KEEPS_REFUSED_FIELD_NUMBER, true)
                + (senderLeaving ? CodedOutputStream.computeBoolSize(Transfer.SENDER_LEAVING_FIELD_NUMBER, true) : 0);
    }

    /**
     * Adds {@code value} of {@code key} if the batch stays within its limit with it, or is empty.
     *
     * @return whether it was added
     */
    boolean add(String key, StoredValue value) {
        return add(new Moving(key, value, entryOf(group, key, value)));
    }

    /** As {@link #add(String, StoredValue)}, for an entry already encoded for a batch of this group. */
    boolean add(Moving m) {
        int size = CodedOutputStream.computeMessageSize(Transfer.ENTRIES_FIELD_NUMBER, m.entry());
        if (!entries.isEmpty() && (long) bytes + size > limitBytes) {
            return false;
        }
        entries.add(m);
        bytes += size;
        return true;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The encoded size of {@link #transfer()}, at most the limit unless it holds one entry. */
    int bytes() {
        return bytes;
    }

    /** The entries, in the order they were added (the order of {@link #transfer()}). */
    List<Moving> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * The transfer carrying the entries, from a sender that keeps what the receiver refuses and offers it again
     * ({@link Transfer#getKeepsRefused()}).
     */
    Transfer transfer() {
        Transfer.Builder transfer = Transfer.newBuilder().setKeepsRefused(true).setSenderLeaving(senderLeaving);
        for (Moving m : entries) {
            transfer.addEntries(m.entry());
        }
        return transfer.build();
    }

    private static Entry entryOf(String group, String key, StoredValue value) {
        return Entry.newBuilder().setGroup(group).setKey(key)
                .setValue(ByteString.copyFrom(value.value()))
                .setExpiresAtMillis(value.expiresAtMillis() == StoredValue.NEVER ? 0 : value.expiresAtMillis())
                .setVersion(value.version())
                .build();
    }

    /** A value as one batch carries it: {@code value} is what the sender drops once every new owner has it. */
    record Moving(String key, StoredValue value, Entry entry) {
    }
}
