package io.ringcache.node.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether a peer connection's requests are read: not while more than {@link PeerFrames#WRITE_BUFFER}'s high mark of
 * their answers waits to be written (its peer sends requests faster than it reads their answers, over a slow link
 * say; until they drain below the low mark), nor while {@link #MAX_IN_PROGRESS} of them are in progress, read and not
 * yet answered (until {@link #RESUME_IN_PROGRESS} are). It is read again only once both allow it. The write buffer
 * counts only the answers already made, not the requests still being served (a load from the origin, a write waiting
 * for its backups): alone, it let a peer that sends requests faster than they complete have this node hold any number
 * of them, and write their answers far above the high mark once they complete. A paused connection's requests wait
 * in the sender's buffers, whose write buffer fails its new calls once full.
 *
 * <p>One per connection, in its pipeline between the codec and the {@link PeerRequestHandler}, which answers every
 * request it does not close the connection for with one message: every message read here is a request and every
 * message written an answer. All of it runs on the connection's event loop (an answer completed on another thread is
 * written through the loop), so the counts need no synchronization. Pausing stops reading after the read under way:
 * the requests it holds (at most one read, 64 KiB) are served too.
 *
 * <p>A connection paused for its requests in progress is sent an empty answer to no call every
 * {@link #KEEP_ALIVE_MILLIS}, which its caller drops ({@link PeerConnection} drops an answer to a call it does not
 * wait for): the caller pings a connection it has read nothing from for its call timeout and closes it when the ping
 * goes unanswered as long, and this end cannot read that ping, queued behind the requests it does not read. With
 * its requests in progress all slow (loads from a slow origin), the caller closed the connection and failed them all.
 */
final class PeerReadGate extends ChannelDuplexHandler {

    /**
     * Requests of one connection in progress at which it is read no more. A caller that keeps up never gets near: a
     * hit is answered at once, and a caller waits for an answer at most {@code ringcache.peer-timeout} (2 s; a write
     * twice that, a read-through GET that plus its group's {@code load-timeout}), so 4096 at once takes a thousand or
     * more requests a second that each wait seconds for an origin or a backup. The bound is per connection, and a
     * caller keeps {@code ringcache.peer-connections} to each peer, at least one per event loop ({@link PeerClient}):
     * a peer makes this node hold at most this many requests, plus one read, for each connection it has open.
     */
    static final int MAX_IN_PROGRESS = 4096;
    /**
     * Requests in progress at or below which a connection paused for them is read again: half the maximum, so that a
     * pause lasts until 2048 answers went out and is not paid again for every answer (a connection that sends faster
     * than it is answered would otherwise flap, paused and resumed for each one).
     */
    static final int RESUME_IN_PROGRESS = MAX_IN_PROGRESS / 2;
    /**
     * How often a connection paused for its requests in progress is sent {@link #KEEP_ALIVE}: far below any call
     * timeout, after which its caller pings it ({@code ringcache.peer-timeout}, 2 s by default).
     */
    static final long KEEP_ALIVE_MILLIS = 100;
    /** An answer with call id 0, which no call has: a caller's ids start at 1. */
    private static final StampedMessage KEEP_ALIVE = StampedMessage.response(PeerResponse.getDefaultInstance(), 0);

    /** The server's count of the times a connection was paused for its requests in progress. */
    private final LongAdder readsPausedForRequestsInProgress;
    /** This connection's requests read and not yet answered. */
    private int inProgress;
    /** Whether reading is paused for {@link #inProgress}: from reaching the maximum until down to the resume mark. */
    private boolean pausedForRequestsInProgress;
    /** Whether a {@link #keepAlive} is scheduled, so that a pause that follows a short one does not add another. */
    private boolean keepAliveArmed;

    PeerReadGate(LongAdder readsPausedForRequestsInProgress) {
        this.readsPausedForRequestsInProgress = readsPausedForRequestsInProgress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object request) {
        if (++inProgress >= MAX_IN_PROGRESS && !pausedForRequestsInProgress) {
            pausedForRequestsInProgress = true;
            readsPausedForRequestsInProgress.increment();
            updateAutoRead(ctx.channel());
            armKeepAlive(ctx);
        }
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object answer, ChannelPromise promise) {
        if (--inProgress <= RESUME_IN_PROGRESS && pausedForRequestsInProgress) {
            pausedForRequestsInProgress = false;
            updateAutoRead(ctx.channel());
        }
        ctx.write(answer, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    private void armKeepAlive(ChannelHandlerContext ctx) {
        if (!keepAliveArmed) {
            keepAliveArmed = true;
            ctx.executor().schedule(() -> keepAlive(ctx), KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sends {@link #KEEP_ALIVE} while paused for the requests in progress, from this handler's context: it does not
     * pass this handler's {@link #write}, which counts answers. Not while answers wait above the high mark: the caller
     * has those to read, and one that reads none would have keep-alives pile up here.
     */
    private void keepAlive(ChannelHandlerContext ctx) {
        keepAliveArmed = false;
        if (!pausedForRequestsInProgress || !ctx.channel().isActive()) {
            return;
        }
        if (ctx.channel().isWritable()) {
            ctx.writeAndFlush(KEEP_ALIVE, ctx.voidPromise());
        }
        armKeepAlive(ctx);
    }

    private void updateAutoRead(Channel channel) {
        channel.config().setAutoRead(channel.isWritable() && !pausedForRequestsInProgress);
    }
}
