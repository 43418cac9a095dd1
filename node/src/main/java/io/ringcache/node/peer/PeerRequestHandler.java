package io.ringcache.node.peer;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Serves decoded peer requests: hands each to the {@link PeerService} with its {@link Deadline} (its timeout,
 * counted from now) and writes the response with the request's id, in whatever order responses complete. A broken
 * stream (bad frame, a request not on its first hop) closes that connection with one log line and is counted; other
 * connections are not affected. A request of an operation this node does not know is answered
 * {@code UNSUPPORTED_OPERATION} and counted, and the connection kept. A connection the other end reset (a peer
 * restarting or gone) is closed quietly: that is not bad input. Each connection's {@link PeerReadGate}, before this
 * handler, stops reading it while too many of its requests are in progress or too many answers wait to be written.
 */
@ChannelHandler.Sharable
final class PeerRequestHandler extends SimpleChannelInboundHandler<PeerRequest> {

    private static final Logger LOG = Logger.getLogger(PeerRequestHandler.class);

    private final PeerService service;
    private final LongAdder connectionsClosedForBadInput = new LongAdder();
    private final LongAdder requestsUnsupported = new LongAdder();

    PeerRequestHandler(PeerService service) {
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerRequest request) {
        if (request.getHops() != StampedMessage.FIRST_HOP) {
            // Passed on by a node that forwards: nodes that disagree about the ring could pass it around for ever.
            closeForBadInput(ctx, "a request on hop " + request.getHops() + "; requests are never forwarded");
            return;
        }
        long id = request.getId();
        if (request.getOpCase() == PeerRequest.OpCase.OP_NOT_SET) {
            // A newer node's operation, in a field this version does not know (a rolling upgrade): closing the
            // connection failed every other call sharing it, and the sender would redial and send it again.
            LOG.debugf("peer %s sent a request of an unknown operation (fields %s)", ctx.channel().remoteAddress(),
                    request.getUnknownFields().asMap().keySet());
            requestsUnsupported.increment();
            ctx.writeAndFlush(StampedMessage.response(unsupported(request), id), ctx.voidPromise());
            return;
        }
        service.handle(request, Deadline.ofRequest(request.getTimeoutMillis())).whenComplete((response, error) -> {
            PeerResponse out = error == null ? response : PeerResponse.newBuilder().setError(PeerError.newBuilder()
                    .setCode(PeerError.Code.UNKNOWN).setMessage(String.valueOf(unwrap(error)))).build();
            ctx.writeAndFlush(StampedMessage.response(out, id), ctx.voidPromise());
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // A reset or broken pipe is the other node going away (every rolling restart does it); a frame that
            // does not decode reaches here as a DecoderException, not as an IOException.
            LOG.debugf("peer connection from %s ended: %s", ctx.channel().remoteAddress(), cause);
            ctx.close();
            return;
        }
        closeForBadInput(ctx, String.valueOf(cause.getMessage() == null ? cause : cause.getMessage()));
    }

    long connectionsClosedForBadInput() {
        return connectionsClosedForBadInput.sum();
    }

    long requestsUnsupported() {
        return requestsUnsupported.sum();
    }

    private void closeForBadInput(ChannelHandlerContext ctx, String what) {
        connectionsClosedForBadInput.increment();
        LOG.warnf("closing peer connection from %s: %s", ctx.channel().remoteAddress(), what);
        ctx.close();
    }

    private static PeerResponse unsupported(PeerRequest request) {
        return PeerResponse.newBuilder().setError(PeerError.newBuilder().setCode(PeerError.Code.UNSUPPORTED_OPERATION)
                .setMessage("the request carries no operation this node knows (unknown PeerRequest fields "
                        + request.getUnknownFields().asMap().keySet() + "); it was not served")).build();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
