package io.ringcache.node.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection to a peer, shared by many calls at once: each request gets an id, and responses,
 * in whatever order they come, complete the call with the same id. A call whose deadline passes fails
 * with {@link PeerUnavailableException} at most {@link #DEADLINE_SLACK_MILLIS} later; a connection that closes
 * fails every call still waiting on it.
 *
 * <p>Deadlines are enforced by one sweep of the waiting calls every {@link #DEADLINE_SLACK_MILLIS} on the
 * connection's event loop, armed only while calls wait, instead of a timer per call: a timer per call meant a
 * priority-queue insert and a removal on the event loop for every forwarded request, nearly always for a call
 * answered long before its deadline.
 */
final class PeerConnection extends SimpleChannelInboundHandler<PeerResponse> {

    /** How long after its deadline a call may still be waiting before it fails: the period of the sweep. */
    static final long DEADLINE_SLACK_MILLIS = 10;

    private final String member;
    private final AtomicLong ids;
    private final ConcurrentHashMap<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private volatile Channel channel;
    /** Whether a deadline sweep is scheduled; touched only on the connection's event loop. */
    private boolean sweepArmed;

    PeerConnection(String member, AtomicLong ids) {
        this.member = member;
        this.ids = ids;
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

    CompletableFuture<PeerResponse> call(PeerRequest request, long timeoutMillis) {
        return call(request, System.nanoTime() + timeoutMillis * 1_000_000, timeoutMillis);
    }

    /**
     * As {@link #call(PeerRequest, long)} for a call whose deadline started earlier (while this connection was
     * being made): it fails at {@code deadlineNanos}, and its error names its whole {@code timeoutMillis}.
     */
    CompletableFuture<PeerResponse> call(PeerRequest request, long deadlineNanos, long timeoutMillis) {
        long id = ids.incrementAndGet();
        Waiting call = new Waiting(new CompletableFuture<>(), deadlineNanos, timeoutMillis);
        waiting.put(id, call);
        Channel c = channel;
        long leftMillis = Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
        StampedMessage framed = StampedMessage.request(request, id, (int) Math.min(Integer.MAX_VALUE, leftMillis));
        // One task on the connection's loop writes and arms the sweep; on that loop already, no task at all.
        if (c.eventLoop().inEventLoop()) {
            send(c, id, framed);
        } else {
            try {
                c.eventLoop().execute(() -> send(c, id, framed));
            } catch (RejectedExecutionException e) {
                fail(id, "connection closed: its event loop stopped");
            }
        }
        return call.result();
    }

    private void send(Channel c, long id, StampedMessage framed) {
        armSweep(c.eventLoop());
        c.writeAndFlush(framed).addListener(write -> {
            if (!write.isSuccess()) {
                fail(id, "write failed: " + write.cause());
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
            if (now - call.deadlineNanos() >= 0) {
                fail(entry.getKey(), "did not answer within " + call.timeoutMillis() + " ms");
            }
        }
        if (!waiting.isEmpty()) {
            armSweep(loop);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerResponse response) {
        Waiting call = waiting.remove(response.getId());
        if (call != null) {
            call.result().complete(response);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Long id : waiting.keySet()) {
            fail(id, "connection closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void fail(long id, String why) {
        Waiting call = waiting.remove(id);
        if (call != null) {
            call.result().completeExceptionally(new PeerUnavailableException("peer " + member + " " + why));
        }
    }

    /** A call sent and not answered yet, and when it gives up. */
    private record Waiting(CompletableFuture<PeerResponse> result, long deadlineNanos, long timeoutMillis) {
    }
}
