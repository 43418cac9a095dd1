package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A large {@link ReplyBatch}, encoded a chunk of at most {@link #CHUNK_BYTES} at a time when the
 * {@link ChunkedWriteHandler} asks for the next one, which it does while the connection is writable: however large
 * the replies, about one chunk of them exists encoded beyond what the connection buffers. It holds the replies
 * (the values themselves, not copies) until their last byte is encoded. Touched only on the connection's event loop.
 *
 * <p>The encoding is {@link ReplyEncoder#write}'s, byte for byte, walked one item at a time: aggregates are opened
 * on a stack of their remaining items, a bulk string's value is copied in as much as each chunk has room for.
 */
final class ReplyStream implements ChunkedInput<ByteBuf> {

    /** As large as the connection's high water mark: one chunk is what the connection buffers before it pauses. */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Reply[] replies;
    private final boolean[] resp3;
    /** The next top-level reply to start. */
    private int nextReply;
    /** Whether the top-level reply being written, and so each of its items, is in RESP3. */
    private boolean inResp3;
    /** The aggregates being written, innermost first: the items of each not started yet, never none. */
    private final ArrayDeque<Iterator<Reply>> open = new ArrayDeque<>();
    /** Bytes encoded but not yet copied into a chunk (a bulk string's value, or its CR LF); null when none. */
    private byte[] pending;
    private int pendingCopied;
    /** Whether CR LF follows {@link #pending}: it is a bulk string's value. */
    private boolean crlfAfterPending;
    private long progress;

    /** Takes the replies out of {@code batch}, which the caller may then clear and reuse. */
    ReplyStream(ReplyBatch batch) {
        replies = new Reply[batch.size()];
        resp3 = new boolean[batch.size()];
        for (int i = 0; i < replies.length; i++) {
            replies[i] = batch.reply(i);
            resp3[i] = batch.resp3(i);
        }
    }

    @Override
    public boolean isEndOfInput() {
        return pending == null && open.isEmpty() && nextReply == replies.length;
    }

    /** Lets go of the replies, also when the connection closed before they were all sent. */
    @Override
    public void close() {
        Arrays.fill(replies, null);
        open.clear();
        pending = null;
    }

    /** @deprecated as in {@link ChunkedInput}; {@link #readChunk(ByteBufAllocator)} is the one called. */
    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        ByteBuf chunk = allocator.ioBuffer(CHUNK_BYTES);
        try {
            while (!isEndOfInput() && chunk.writerIndex() < CHUNK_BYTES) {
                if (pending != null) {
                    copyPending(chunk);
                } else if (!startNextItem(chunk)) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            chunk.release();
            throw e;
        }
        progress += chunk.readableBytes();
        return chunk;
    }

    /** The bytes of the batch that no chunk holds yet are unknown until encoded. */
    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return progress;
    }

    /** Copies as much of {@link #pending} as the chunk has room for, then moves on to what follows it. */
    private void copyPending(ByteBuf chunk) {
        int n = Math.min(pending.length - pendingCopied, CHUNK_BYTES - chunk.writerIndex());
        chunk.writeBytes(pending, pendingCopied, n);
        pendingCopied += n;
        if (pendingCopied == pending.length) {
            pending = crlfAfterPending ? CRLF : null;
            pendingCopied = 0;
            crlfAfterPending = false;
        }
    }

    /**
     * Starts the next reply or item: writes its header, or all of it when it is small, or leaves it pending.
     *
     * @return false, having written nothing, when the chunk lacks room for a header: it is full
     */
    private boolean startNextItem(ByteBuf chunk) {
        int room = CHUNK_BYTES - chunk.writerIndex();
        if (room < ReplyEncoder.HEADER_BYTES) {
            return false;
        }
        Reply item = nextItem();
        if (item instanceof Reply.Bulk bulk) {
            ReplyEncoder.writeHeader('$', bulk.bytes().length, chunk);
            pending = bulk.bytes();
            pendingCopied = 0;
            crlfAfterPending = true;
            return true;
        }
        List<Reply> items = ReplyEncoder.writeAggregateHeader(item, inResp3, chunk);
        if (items != null) {
            if (!items.isEmpty()) {
                open.push(items.iterator());
            }
        } else if (ReplyEncoder.estimateBytes(item) <= room) {
            ReplyEncoder.write(item, inResp3, chunk);
        } else {
            // A long line (a verbatim INFO text, say) that would overflow the chunk: encoded alone, then copied in.
            ByteBuf alone = chunk.alloc().heapBuffer((int) ReplyEncoder.estimateBytes(item));
            try {
                ReplyEncoder.write(item, inResp3, alone);
                pending = new byte[alone.readableBytes()];
                alone.readBytes(pending);
            } finally {
                alone.release();
            }
            pendingCopied = 0;
            crlfAfterPending = false;
        }
        return true;
    }

    /** The next item of the innermost open aggregate, else the next top-level reply; closes what it exhausts. */
    private Reply nextItem() {
        Reply item;
        if (open.isEmpty()) {
            item = replies[nextReply];
            inResp3 = resp3[nextReply];
            replies[nextReply++] = null;
        } else {
            item = open.peek().next();
        }
        while (!open.isEmpty() && !open.peek().hasNext()) {
            open.pop();
        }
        return item;
    }
}
