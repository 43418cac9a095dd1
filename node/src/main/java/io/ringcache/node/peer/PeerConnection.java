package io.ringcache.node.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection to a peer, shared by many calls at once: each request gets an id, and responses,
 * in whatever order they come, complete the call with the same id. A call whose deadline passes fails
 * with {@link PeerUnavailableException}; a connection that closes fails every call still waiting on it.
 */
final class PeerConnection extends SimpleChannelInboundHandler<PeerResponse> {

    private final String member;
    private final AtomicLong ids;
    private final ConcurrentHashMap<Long, CompletableFuture<PeerResponse>> waiting = new ConcurrentHashMap<>();
    private volatile Channel channel;

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
        long id = ids.incrementAndGet();
        CompletableFuture<PeerResponse> result = new CompletableFuture<>();
        waiting.put(id, result);
        Channel c = channel;
        PeerRequest framed = request.toBuilder().setId(id).setTimeoutMillis((int) timeoutMillis).build();
        // One task on the connection's loop arms the deadline and writes; on that loop already, no task at all.
        if (c.eventLoop().inEventLoop()) {
            send(c, id, framed, timeoutMillis, result);
        } else {
            try {
                c.eventLoop().execute(() -> send(c, id, framed, timeoutMillis, result));
            } catch (RejectedExecutionException e) {
                fail(id, "connection closed: its event loop stopped");
            }
        }
        return result;
    }

    private void send(Channel c, long id, PeerRequest framed, long timeoutMillis, CompletableFuture<PeerResponse> result) {
        ScheduledFuture<?> deadline = c.eventLoop().schedule(() -> fail(id, "did not answer within "
                + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> deadline.cancel(false));
        c.writeAndFlush(framed).addListener(write -> {
            if (!write.isSuccess()) {
                fail(id, "write failed: " + write.cause());
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerResponse response) {
        CompletableFuture<PeerResponse> call = waiting.remove(response.getId());
        if (call != null) {
            call.complete(response);
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
        CompletableFuture<PeerResponse> call = waiting.remove(id);
        if (call != null) {
            call.completeExceptionally(new PeerUnavailableException("peer " + member + " " + why));
        }
    }
}
