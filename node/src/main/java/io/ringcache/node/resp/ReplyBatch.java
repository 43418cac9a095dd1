package io.ringcache.node.resp;

/**
 * Replies written together with one flush, in request order, each with the protocol version (2 or 3) that was
 * in force when its command ran: a {@code HELLO 3} in a pipeline changes the encoding of the replies after it,
 * not of those before it that were still waiting for their futures.
 */
final class ReplyBatch {

    private Reply[] replies = new Reply[16];
    private boolean[] resp3 = new boolean[16];
    private int size;
    /** An estimate of the encoded size, to size the buffer and to decide when to write early. */
    private long estimatedBytes;

    void add(Reply reply, boolean useResp3) {
        if (size == replies.length) {
            replies = java.util.Arrays.copyOf(replies, size * 2);
            resp3 = java.util.Arrays.copyOf(resp3, size * 2);
        }
        replies[size] = reply;
        resp3[size] = useResp3;
        size++;
        estimatedBytes += ReplyEncoder.estimateBytes(reply);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Reply reply(int i) {
        return replies[i];
    }

    boolean resp3(int i) {
        return resp3[i];
    }

    long estimatedBytes() {
        return estimatedBytes;
    }

    /** Empties the batch for reuse once it has been encoded; drops the references to the replies. */
    void clear() {
        java.util.Arrays.fill(replies, 0, size, null);
        size = 0;
        estimatedBytes = 0;
    }
}
