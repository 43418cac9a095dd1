package io.ringcache.node.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Ping;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One TCP connection to a peer, shared by many calls at once: each request gets an id, and responses,
 * in whatever order they come, complete the call with the same id. A call whose deadline passes fails
 * with {@link PeerUnavailableException} at most {@link #DEADLINE_SLACK_MILLIS} later; a connection that closes
 * fails every call still waiting on it. A call whose request was written fails with {@link PeerNoAnswerException}:
 * the peer may have served it. One that failed before its request was written (its deadline passed while it waited
 * for the event loop, the write failed) is never written afterwards, so it certainly was not served. A call the peer
 * answers {@code UNSUPPORTED_OPERATION} fails with {@link PeerUnsupportedOperationException}, naming its operation.
 *
 * <p>Deadlines are enforced by one sweep of the waiting calls every {@link #DEADLINE_SLACK_MILLIS} on the
 * connection's event loop, armed only while calls wait, instead of a timer per call: a timer per call meant a
 * priority-queue insert and a removal on the event loop for every forwarded request, nearly always for a call
 * answered long before its deadline.
 *
 * <p>A connection that has read nothing for a while (an {@link IdleStateEvent} from the pipeline) pings the peer;
 * if that goes unanswered within the ping's timeout, and nothing else was read meanwhile, the connection is closed,
 * failing the calls on it. A peer that sent anything since the ping is there: its ping may wait behind requests it does
 * not read yet, too many of them in progress ({@link PeerReadGate}, which sends keep-alives meanwhile). A peer whose
 * machine vanished sends no reset, and its connection would otherwise look open for ever, every call on it waiting
 * out its whole deadline.
 *
 * <p>A peer that stops reading (paused, overloaded) leaves what is written to it queued here: a call made while
 * more than {@link PeerFrames#WRITE_BUFFER}'s high mark waits (after a flush) fails at once, unsent, so it certainly
 * was not served, and the connection holds at most that mark plus one frame for such a peer. The deadline sweep
 * would not free that memory (a request that failed stays queued), and the ping of an idle connection alone let it
 * grow for two call timeouts, or for ever when the peer went on answering slowly. Such an idle connection's ping
 * fails the same way, closing it.
 */
final class PeerConnection extends SimpleChannelInboundHandler<PeerResponse> {

    /** How long after its deadline a call may still be waiting before it fails: the period of the sweep. */
    static final long DEADLINE_SLACK_MILLIS = 10;
    private static final Logger LOG = Logger.getLogger(PeerConnection.class);
    private static final PeerRequest PING = PeerRequest.newBuilder().setPing(Ping.getDefaultInstance()).build();

    private final String member;
    private final AtomicLong ids;
    /** The client's counts of the calls failed here that only their exceptions told of. */
    private final PeerCallCounts counts;
    /** How long a ping of an idle connection may go unanswered before the connection is closed. */
    private final long pingTimeoutMillis;
    /** The largest frame the peer accepts; a larger one would close the connection and every call on it. */
    private final int maxFrameBytes;
    private final ConcurrentHashMap<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private volatile Channel channel;
    /** Whether a deadline sweep is scheduled; touched only on the connection's event loop. */
    private boolean sweepArmed;
    /** Whether a ping of this idle connection waits for its answer; touched only on the connection's event loop. */
    private boolean pinging;
    /** Whether anything was read since the last ping was sent; touched only on the connection's event loop. */
    private boolean readSincePing;
    /** Why this end closed the connection (a bad frame, say), for the calls it fails; touched only on its loop. */
    private String closedBecause = "";
    /** The pool let this connection go: it closes once no call waits on it. */
    private volatile boolean retired;

    PeerConnection(String member, AtomicLong ids, PeerCallCounts counts, long pingTimeoutMillis, int maxFrameBytes) {
        this.member = member;
        this.ids = ids;
        this.counts = counts;
        this.pingTimeoutMillis = pingTimeoutMillis;
        this.maxFrameBytes = maxFrameBytes;
    }

    void attach(Channel channel) {
        this.channel = channel;
    }

    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    boolean isOpen() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /**
     * Lets the connection go (its peer left the ring): it closes once the calls waiting on it are answered or fail,
     * at once if none waits.
     */
    void retire() {
        retired = true;
        closeIfRetiredAndIdle();
    }

    CompletableFuture<PeerResponse> call(PeerRequest request, long timeoutMillis) {
        return call(request, Deadline.nanoTimeIn(timeoutMillis), timeoutMillis);
    }

    /**
     * As {@link #call(PeerRequest, long)} for a call whose deadline started earlier (while this connection was
     * being made): it fails at {@code deadlineNanos}, and its error names its whole {@code timeoutMillis}.
     */
    CompletableFuture<PeerResponse> call(PeerRequest request, long deadlineNanos, long timeoutMillis) {
        long id = ids.incrementAndGet();
        Waiting call = new Waiting(request.getOpCase(), deadlineNanos, timeoutMillis);
        waiting.put(id, call);
        Channel c = channel;
        // One task on the connection's loop writes and arms the sweep; on that loop already, no task at all.
        if (c.eventLoop().inEventLoop()) {
            send(c, id, request);
        } else {
            try {
                c.eventLoop().execute(() -> send(c, id, request));
            } catch (RejectedExecutionException e) {
                fail(id, "connection closed: its event loop stopped", false);
            }
        }
        return call.result;
    }

    /** Writes call {@code id}'s request, unless the call ended while it waited for its turn on the loop. */
    private void send(Channel c, long id, PeerRequest request) {
        Waiting call = waiting.get(id);
        if (call == null) {
            // It failed already (the connection closed): it must not be served after its caller was told it was not.
            return;
        }
        long leftNanos = call.deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            fail(id, "was not sent the request within " + call.timeoutMillis + " ms", false);
            return;
        }
        // The receiver counts what is left from when it reads the request; at least 1 ms, as 0 means "no deadline".
        int leftMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, leftNanos / 1_000_000));
        StampedMessage framed = StampedMessage.request(request, id, leftMillis);
        int frameBytes = PeerFrameEncoder.LENGTH_BYTES + framed.serializedSize();
        if (frameBytes > maxFrameBytes) {
            // The peer would refuse it by closing the connection, failing every other call waiting on it too.
            fail(id, "was not sent a request of " + frameBytes + " bytes: over the frame limit of " + maxFrameBytes
                    + " bytes (ringcache.peer-max-frame-bytes)", false);
            return;
        }
        // A closed channel is not writable either; its write fails below, as not sent, and is not counted here.
        if (c.isActive() && !c.isWritable()) {
            // The frames written since the last flush count too: hand them to the kernel before judging the peer.
            PeerFrames.flushNow(c);
            long over = PeerFrames.bytesAboveHighMark(c);
            if (over > 0) {
                counts.unsentWriteBufferFull.increment();
                fail(id, "was not sent the request: it is not reading what it was sent (" + over
                        + " bytes must drain before its connection takes another request)", false);
                return;
            }
        }
        call.written = true;
        armSweep(c.eventLoop());
        c.writeAndFlush(framed).addListener(write -> {
            if (!write.isSuccess()) {
                // No whole frame reached the peer (a frame cut short does not decode): it was not served.
                fail(id, "write failed: " + write.cause(), false);
            }
        });
    }

    private void armSweep(EventLoop loop) {
        if (!sweepArmed) {
            sweepArmed = true;
            loop.schedule(() -> sweep(loop), DEADLINE_SLACK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Fails the calls whose deadline passed, and sweeps again later while any call still waits. */
    private void sweep(EventLoop loop) {
        sweepArmed = false;
        long now = System.nanoTime();
        for (Map.Entry<Long, Waiting> entry : waiting.entrySet()) {
            Waiting call = entry.getValue();
            if (now - call.deadlineNanos >= 0) {
                fail(entry.getKey(), "did not answer within " + call.timeoutMillis + " ms", call.written);
            }
        }
        if (!waiting.isEmpty()) {
            armSweep(loop);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerResponse response) {
        readSincePing = true;
        Waiting call = waiting.remove(response.getId());
        if (call == null) {
            return;
        }
        if (response.hasError() && response.getError().getCode() == PeerError.Code.UNSUPPORTED_OPERATION) {
            counts.unsupported.increment();
            // Only this end knows which operation the peer could not read: name it for whoever made the call.
            call.result.completeExceptionally(new PeerUnsupportedOperationException("peer " + member
                    + " does not support operation " + call.op + " (an older version?): "
                    + response.getError().getMessage()));
        } else {
            call.result.complete(response);
        }
        closeIfRetiredAndIdle();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            ping(ctx.channel());
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Asks the peer of this idle connection to answer; closes the connection if it does not in time. */
    private void ping(Channel c) {
        if (pinging) {
            return;
        }
        pinging = true;
        readSincePing = false;
        // Completed on this loop: by a response, the sweep or the close.
        call(PING, pingTimeoutMillis).whenComplete((pong, error) -> {
            pinging = false;
            if (error != null && !readSincePing) {
                c.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Map.Entry<Long, Waiting> entry : waiting.entrySet()) {
            fail(entry.getKey(), "connection closed" + closedBecause, entry.getValue().written);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            // A response frame that does not decode (over the limit, corrupt length, not protobuf): without this the
            // calls failed with a bare "connection closed" and nothing said which peer sent what.
            LOG.warnf("closing peer connection to %s: %s", member, cause);
        }
        closedBecause = ": " + cause;
        ctx.close();
    }

    /**
     * Fails call {@code id}, if it still waits, with {@link PeerNoAnswerException} when its request was written
     * ({@code written}: the peer may have served it), else with a plain {@link PeerUnavailableException}.
     */
    private void fail(long id, String why, boolean written) {
        Waiting call = waiting.remove(id);
        if (call != null) {
            String message = "peer " + member + " " + why;
            call.result.completeExceptionally(written ? new PeerNoAnswerException(message)
                    : new PeerUnavailableException(message));
            closeIfRetiredAndIdle();
        }
    }

    private void closeIfRetiredAndIdle() {
        if (retired && waiting.isEmpty()) {
            close();
        }
    }

    /** A call not answered yet, its operation, when it gives up, and whether its request was written. */
    private static final class Waiting {
        final CompletableFuture<PeerResponse> result = new CompletableFuture<>();
        final PeerRequest.OpCase op;
        final long deadlineNanos;
        final long timeoutMillis;
        /** Set (on the connection's event loop) once the request is handed to the channel to write. */
        boolean written;

        Waiting(PeerRequest.OpCase op, long deadlineNanos, long timeoutMillis) {
            this.op = op;
            this.deadlineNanos = deadlineNanos;
            this.timeoutMillis = timeoutMillis;
        }
    }
}
