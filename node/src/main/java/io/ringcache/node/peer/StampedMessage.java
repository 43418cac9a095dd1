package io.ringcache.node.peer;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.io.IOException;

/**
 * A peer message and the call id (for a request, also the hop count and the deadline) it travels with, written as
 * protobuf fields
 * after the message's own bytes instead of copied into it with {@code toBuilder().setId(..).build()}: protobuf
 * parses a scalar field that occurs twice as its last occurrence, so the receiver reads exactly the message the
 * rebuild would have made, and a forwarded call saves one message copy on each side.
 */
final class StampedMessage {

    private static final int ID_FIELD = PeerRequest.ID_FIELD_NUMBER;
    private static final int TIMEOUT_FIELD = PeerRequest.TIMEOUT_MILLIS_FIELD_NUMBER;
    private static final int HOPS_FIELD = PeerRequest.HOPS_FIELD_NUMBER;
    /** Every request this transport sends is on its first hop: receivers never pass requests on. */
    static final int FIRST_HOP = 1;

    static {
        if (PeerResponse.ID_FIELD_NUMBER != ID_FIELD) {
            throw new AssertionError("PeerRequest and PeerResponse must carry the id in the same field");
        }
    }

    private final MessageLite message;
    private final long id;
    /** For a request, the deadline in milliseconds; -1 for a response, which has no such field. */
    private final int timeoutMillis;
    private final int serializedSize;

    private StampedMessage(MessageLite message, long id, int timeoutMillis) {
        this.message = message;
        this.id = id;
        this.timeoutMillis = timeoutMillis;
        this.serializedSize = message.getSerializedSize() + CodedOutputStream.computeUInt64Size(ID_FIELD, id)
                + (timeoutMillis < 0 ? 0 : CodedOutputStream.computeUInt32Size(TIMEOUT_FIELD, timeoutMillis)
                        + CodedOutputStream.computeUInt32Size(HOPS_FIELD, FIRST_HOP));
    }

    /** {@code request} with call id {@code id}, a deadline of {@code timeoutMillis} (at least 0), on its first hop. */
    static StampedMessage request(PeerRequest request, long id, int timeoutMillis) {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("a deadline cannot be negative, was " + timeoutMillis + " ms");
        }
        return new StampedMessage(request, id, timeoutMillis);
    }

    /** {@code response} answering call {@code id}. */
    static StampedMessage response(PeerResponse response, long id) {
        return new StampedMessage(response, id, -1);
    }

    /** The bytes {@link #writeTo} writes. */
    int serializedSize() {
        return serializedSize;
    }

    /** Writes the message, then its id (and a request's deadline and hop count), which override any it held. */
    void writeTo(CodedOutputStream out) throws IOException {
        message.writeTo(out);
        out.writeUInt64(ID_FIELD, id);
        if (timeoutMillis >= 0) {
            out.writeUInt32(TIMEOUT_FIELD, timeoutMillis);
            out.writeUInt32(HOPS_FIELD, FIRST_HOP);
        }
    }
}
