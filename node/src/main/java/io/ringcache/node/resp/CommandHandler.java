package io.ringcache.node.resp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Runs each request's command and writes the replies in request order: one write per read batch, one flush per
 * event-loop iteration (see {@link #writeOutgoing()}).
 *
 * <p>Ordering: a reply that is ready while nothing is waiting ahead of it goes straight into the outgoing
 * batch; otherwise it takes a place in {@link #waiting} and is written once every reply ahead of it is, whatever
 * order the futures complete in and on whatever thread (completions hop back to this connection's event loop,
 * which alone touches this handler's state).
 *
 * <p>Running: the requests decoded from a read wait in {@link #decoded} and run when the read ends, in order,
 * their keys looked up a batch ahead by a {@link KeyPrefetcher}.
 *
 * <p>Backpressure: a client that sends faster than it reads makes the channel unwritable (its outbound bytes
 * pass the high water mark) or leaves too many replies waiting; then commands stop running and reading stops
 * ({@code autoRead} off). Requests already decoded stay in {@link #decoded}, at most {@link #MAX_DECODED} plus one
 * read's worth, and run when the channel is writable again. Memory per connection is therefore bounded, never
 * proportional to what a client sends.
 *
 * <p>End of input: a client that half-closes (as {@code nc -N} does after its last request) is answered in full,
 * then the connection closes, as Redis's is. The server's channels allow half-closure for this: otherwise Netty
 * closes the channel at once, dropping the replies written and waiting for {@link #writeOutgoing()}'s flush.
 */
final class CommandHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);

    /** Replies that may wait for their futures at once before the connection stops reading. */
    static final int MAX_WAITING_REPLIES = 1024;
    /** Requests decoded and not yet run at which the connection stops reading until they have run. */
    static final int MAX_DECODED = 1024;
    /** A batch this large is written at once instead of at the end of the read, so writability sees it. */
    static final int EARLY_WRITE_BYTES = 64 * 1024;

    private final ClientSession client;
    private final ServerContext server;

    private ChannelHandlerContext ctx;
    /** Replies not yet written, in request order; the first is not ready yet. */
    private final ArrayDeque<WaitingReply> waiting = new ArrayDeque<>();
    /** Requests decoded and not yet run, in order. */
    private final ArrayDeque<RespRequest> decoded = new ArrayDeque<>();
    private final KeyPrefetcher prefetcher;
    /** Requests at the head of {@link #decoded} whose keys were prefetched. */
    private int prefetchedAhead;
    /** Inside {@link #resume()}. */
    private boolean resuming;
    /**
     * The replies to write next. Reused: {@link ReplyEncoder} encodes a batch as soon as it is written from the
     * event loop, the only thread that writes, so the batch is free again when {@code writeAndFlush} returns.
     */
    private final ReplyBatch outgoing = new ReplyBatch();
    /** Inside a read batch: replies are written at its end. */
    private boolean reading;
    /** Flushes what was written, as a task that the event loop runs once every ready connection has been read. */
    private final Runnable flushTask = this::flushWritten;
    /** {@link #flushTask} is queued and has not run yet. */
    private boolean flushQueued;
    /** After QUIT or a protocol error: nothing more runs; the connection closes once the replies are out. */
    private boolean closing;
    /** The client has sent its last request: the connection closes once every reply is out. */
    private boolean inputEnded;

    /** A reply's place in the order; {@code reply} is set when its future completes. */
    private static final class WaitingReply {
        final boolean resp3;
        final boolean closeAfter;
        Reply reply;

        WaitingReply(boolean resp3, boolean closeAfter) {
            this.resp3 = resp3;
            this.closeAfter = closeAfter;
        }
    }

    CommandHandler(ClientSession client) {
        this.client = client;
        this.server = client.server();
        this.prefetcher = client.prefetcher();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.stats().connected(client);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        server.stats().disconnected(client);
        closing = true;
        waiting.clear();
        decoded.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        reading = true;
        if (closing) {
            return;
        }
        decoded.add((RespRequest) message);
        if (!client.authenticated()) {
            // The decoder holds a client to smaller requests until it authenticates: an AUTH must have run
            // before the request after it is decoded, as Redis runs each command as soon as it is parsed.
            resume();
        } else if (decoded.size() == MAX_DECODED) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        resume();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The decoder has handed on every request it had (it decodes the last ones on this event first).
            inputEnded = true;
            resume();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            // A reset or broken pipe is the client leaving; anything else is worth one line.
            LOG.warnf("closing RESP connection from %s: %s", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private boolean mustPause() {
        return !ctx.channel().isWritable() || waiting.size() >= MAX_WAITING_REPLIES;
    }

    private void handle(RespRequest request) {
        if (request instanceof RespRequest.Violation violation) {
            server.stats().protocolError();
            closing = true;
            enqueue(CompletableFuture.completedFuture(Reply.error("ERR " + violation.message())), client.resp3(), true);
            return;
        }
        byte[][] arguments = ((RespRequest.Command) request).arguments();
        client.commandProcessed();
        CompletionStage<Reply> reply;
        try {
            reply = dispatch(arguments);
        } catch (RuntimeException e) {
            reply = CompletableFuture.completedFuture(Failures.reply(e));
        }
        boolean close = client.closingAfterReply();
        if (close) {
            closing = true;
        }
        enqueue(reply, client.resp3(), close);
    }

    /** Finds the command, checks its arity and the client's authentication (in Redis's order) and runs it. */
    private CompletionStage<Reply> dispatch(byte[][] arguments) {
        CommandSpec spec = server.commands().find(arguments[0]);
        if (spec == null) {
            return completed(unknownCommand(arguments));
        }
        if (!spec.subcommands().isEmpty() && (arguments.length > 1 || spec.action() == null)) {
            if (!spec.acceptsArgumentCount(arguments.length)) {
                return completed(wrongArity(spec));
            }
            CommandSpec sub = CommandTable.findSubcommand(spec, arguments[1]);
            if (sub == null) {
                return completed(new ErrorLine("ERR unknown subcommand '").argument(arguments[1], 128)
                        .text("'. Try " + spec.helpName() + " HELP.").reply());
            }
            spec = sub;
        }
        if (!spec.acceptsArgumentCount(arguments.length)) {
            return completed(wrongArity(spec));
        }
        if (!client.authenticated() && !spec.allowedBeforeAuth()) {
            return completed(Reply.error("NOAUTH Authentication required."));
        }
        return spec.action().execute(client, arguments);
    }

    private void enqueue(CompletionStage<Reply> stage, boolean resp3, boolean closeAfter) {
        CompletableFuture<Reply> future = stage.toCompletableFuture();
        if (waiting.isEmpty() && future.isDone() && !closeAfter) {
            add(resultOf(future), resp3);
            return;
        }
        WaitingReply place = new WaitingReply(resp3, closeAfter);
        waiting.add(place);
        if (future.isDone()) {
            place.reply = resultOf(future);
            writeReady();
            return;
        }
        future.whenComplete((reply, error) -> {
            Reply outcome = error == null ? reply : Failures.reply(error);
            if (ctx.executor().inEventLoop()) {
                completed(place, outcome);
            } else {
                ctx.executor().execute(() -> completed(place, outcome));
            }
        });
    }

    private void completed(WaitingReply place, Reply reply) {
        place.reply = reply;
        if (!ctx.channel().isActive()) {
            return;
        }
        writeReady();
        if (!reading) {
            writeOutgoing();
        }
        resume();
    }

    /** Moves the ready replies at the head of {@link #waiting} into the outgoing batch. */
    private void writeReady() {
        while (!waiting.isEmpty() && waiting.peek().reply != null) {
            WaitingReply ready = waiting.poll();
            add(ready.reply, ready.resp3);
            if (ready.closeAfter) {
                writeAndClose();
                return;
            }
        }
    }

    private void add(Reply reply, boolean resp3) {
        outgoing.add(reply, resp3);
        if (outgoing.estimatedBytes() >= EARLY_WRITE_BYTES && ctx.channel().isActive()) {
            // Written (encoded) and cleared before the flush: a flush can make the channel writable again and
            // so call resume() from inside this one.
            ctx.write(outgoing, ctx.voidPromise());
            outgoing.clear();
            ctx.flush();
        }
    }

    /**
     * Writes the outgoing batch and leaves its flush to the end of the event loop's iteration, after every
     * connection that was ready has been read and run (Redis likewise writes its replies just before it
     * waits for more). The first reply sent wakes a client that waits for several connections; flushing each
     * connection as soon as it was served woke it again for each one, and on two cores those wake-ups cost
     * the event loop a third of its time ({@code bench/RESULTS.md}).
     */
    private void writeOutgoing() {
        if (outgoing.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        ctx.write(outgoing, ctx.voidPromise());
        outgoing.clear();
        if (!flushQueued) {
            flushQueued = true;
            ctx.executor().execute(flushTask);
        }
    }

    /** Writes and flushes the outgoing batch, then closes the connection; whatever still waits is dropped. */
    private void writeAndClose() {
        ctx.write(outgoing).addListener(ChannelFutureListener.CLOSE);
        outgoing.clear();
        waiting.clear();
        ctx.flush();
    }

    private void flushWritten() {
        flushQueued = false;
        ctx.flush();
    }

    /**
     * Runs decoded requests while the channel can take their replies, prefetching keys when a pipeline has more
     * than one request waiting; stops reading while some must wait and reads again once none is left.
     */
    private void resume() {
        if (resuming) {
            // Called back from a flush inside the loop below (the channel became writable): the loop goes on.
            return;
        }
        resuming = true;
        try {
            runDecoded();
        } finally {
            resuming = false;
        }
    }

    private void runDecoded() {
        while (!closing && !decoded.isEmpty() && !mustPause()) {
            if (prefetchedAhead == 0 && decoded.size() > 1 && client.authenticated()) {
                prefetchedAhead = prefetcher.prefetch(decoded);
            }
            if (prefetchedAhead > 0) {
                prefetchedAhead--;
            }
            handle(decoded.poll());
        }
        prefetchedAhead = 0;
        if (inputEnded && !closing && decoded.isEmpty() && waiting.isEmpty()) {
            closing = true;
            writeAndClose();
            return;
        }
        if (!reading) {
            writeOutgoing();
        }
        if (!closing) {
            boolean stalled = !decoded.isEmpty();
            if (ctx.channel().config().isAutoRead() == stalled) {
                ctx.channel().config().setAutoRead(!stalled);
            }
        }
    }

    private static Reply resultOf(CompletableFuture<Reply> done) {
        try {
            return done.join();
        } catch (RuntimeException e) {
            return Failures.reply(e);
        }
    }

    private static CompletionStage<Reply> completed(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static Reply wrongArity(CommandSpec spec) {
        return Reply.error("ERR wrong number of arguments for '" + spec.name() + "' command");
    }

    /**
     * Redis's message: the name and the first arguments, each quoted and cut to the room left of 128 bytes
     * counted before its quote, as Redis's {@code '%.*s'} prints them ({@link ErrorLine}).
     */
    private static Reply unknownCommand(byte[][] arguments) {
        ErrorLine error = new ErrorLine("ERR unknown command '").argument(arguments[0], 128)
                .text("', with args beginning with: ");
        int written = 0;
        for (int i = 1; i < arguments.length && written < 128; i++) {
            int length = ErrorLine.printedLength(arguments[i], 128 - written);
            error.text("'").argument(arguments[i], length).text("' ");
            written += length + 3;
        }
        return error.reply();
    }
}
