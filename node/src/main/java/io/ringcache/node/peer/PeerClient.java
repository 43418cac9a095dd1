package io.ringcache.node.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Calls peers over a small pool of persistent, multiplexed connections per peer. Every call has a
 * deadline, connecting included. A peer whose dial failed (refused, unreachable or timed out) is not dialled again
 * until its backoff passes ({@link PeerRedialBackoff}): calls in between fail at once instead of piling up. A failed
 * dial does not start one while the pool holds an open connection to the peer made after that dial began.
 *
 * <p>Each connection of a pool lives on one event loop of the group, and a call made on an event loop of the
 * group goes over that loop's connection: when the node's HTTP server shares the group (the Quarkus shell
 * hands in Vert.x's loops), a forwarded request is sent, answered and resumed on the thread that received it,
 * without a hand-off between threads.
 *
 * <p>Order: the calls one thread makes to a peer reach it in the order they were made, and the peer serves each
 * connection's requests in the order they arrive. So a RESP client's pipelined {@code SET k v} and {@code GET k},
 * both forwarded from its connection's event loop, reach the key's owner in its order: every thread outside the
 * group keeps one connection of each pool too ({@link #slotOfCurrentThread}), and calls that wait for a connection
 * to be made are sent in the order they were made ({@link PeerPool#whenConnected}).
 *
 * <p>A connection that has read nothing for a call timeout is pinged, and closed when the ping is not answered
 * within another (see {@link PeerConnection}), so a peer that vanished without a reset is found out. The pools of
 * peers that left the ring are let go ({@link #retainOnly}); a pool lives only as long as its peer is called.
 */
public final class PeerClient implements AutoCloseable {

    private final EventLoopGroup eventLoops;
    private final List<EventLoop> loops = new ArrayList<>();
    private final int connectionsPerPeer;
    private final int maxFrameBytes;
    /** The deadline of a connect, and the silence after which an idle connection is pinged, and its ping's deadline. */
    private final Duration callTimeout;
    /** The monotonic clock redial backoffs are timed by: {@link System#nanoTime}, or a test's. */
    private final LongSupplier nanoClock;
    private final AtomicLong ids = new AtomicLong();
    private final PeerCallCounts counts = new PeerCallCounts();
    private final Map<String, PeerPool> pools = new ConcurrentHashMap<>();
    /** Set by {@link #close}: a pool made after it would dial connections nobody closes. */
    private volatile boolean closed;
    /** The slot of each thread outside the group, handed out in turn when it first calls. */
    private final AtomicLong nextOutsideSlot = new AtomicLong();
    private final FastThreadLocal<Integer> outsideSlot = new FastThreadLocal<>() {
        @Override
        protected Integer initialValue() {
            return (int) (nextOutsideSlot.getAndIncrement() % connectionsPerPeer);
        }
    };

    /**
     * @param eventLoops the loops connections live on (shared with the node's peer server, and in the Quarkus
     *     shell with its HTTP server)
     * @param connectionsPerPeer connections kept to each peer; at least one per event loop
     * @param maxFrameBytes the largest response accepted
     * @param callTimeout the deadline of a connect; a connection that reads nothing for this long is pinged, and
     *     closed when the ping is not answered within it either
     */
    public PeerClient(EventLoopGroup eventLoops, int connectionsPerPeer, int maxFrameBytes, Duration callTimeout) {
        this(eventLoops, connectionsPerPeer, maxFrameBytes, callTimeout, System::nanoTime);
    }

    /**
     * As the public constructor, with backoffs timed by {@code nanoClock}: a test starts it where
     * {@link System#nanoTime} may start (anywhere, negative included) or where it wraps.
     */
    PeerClient(EventLoopGroup eventLoops, int connectionsPerPeer, int maxFrameBytes, Duration callTimeout,
               LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.eventLoops = eventLoops;
        for (EventExecutor executor : eventLoops) {
            loops.add((EventLoop) executor);
        }
        this.connectionsPerPeer = Math.max(connectionsPerPeer, loops.size());
        this.maxFrameBytes = maxFrameBytes;
        this.callTimeout = callTimeout;
    }

    /**
     * Sends {@code request} (its id and timeout are set here) to {@code member} ({@code host:port}).
     *
     * @return completes with the peer's response, or exceptionally with {@link PeerUnavailableException}
     *     when the peer cannot be reached or does not answer within {@code timeout}: a
     *     {@link PeerNoAnswerException} when the request was sent (the peer may have served it), a plain one when
     *     it certainly was not served; a plain one at once after {@link #close}; or with
     *     {@link PeerUnsupportedOperationException} when the peer does not know the request's operation
     */
    public CompletableFuture<PeerResponse> call(String member, PeerRequest request, Duration timeout) {
        if (closed) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("peer client closed: " + member
                    + " was not called"));
        }
        return pools.computeIfAbsent(member, PeerPool::new).call(request, Math.max(1, timeout.toMillis()));
    }

    /**
     * Lets go of the connections to every peer not in {@code members} (the ring after a change): each closes once
     * the calls waiting on it are answered or fail. Without this every address that was ever a member would keep
     * its pool. A later call to such a peer (the previous owner of a key, asked during a hand-off) dials it again,
     * and its pool goes with the next change.
     */
    public void retainOnly(Set<String> members) {
        pools.entrySet().removeIf(entry -> {
            if (members.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().retire();
            return true;
        });
    }

    /** The peers this client keeps a pool for: their connections, or the backoff after a failed dial. */
    public Set<String> pooledPeers() {
        return Set.copyOf(pools.keySet());
    }

    /**
     * Calls failed at once, unsent, because their connection held the write buffer's high mark: the peer stopped
     * reading what it was sent (pings of idle connections included).
     */
    public long callsUnsentWriteBufferFull() {
        return counts.unsentWriteBufferFull.sum();
    }

    /**
     * Calls failed with {@link PeerUnsupportedOperationException}: the peer does not know their operation (it runs
     * an older version).
     */
    public long callsUnsupported() {
        return counts.unsupported.sum();
    }

    /** Closes every connection, failing the calls waiting on them; later calls fail without dialling. */
    @Override
    public void close() {
        closed = true;
        pools.values().forEach(PeerPool::close);
        pools.clear();
    }

    /**
     * The slot of the calling thread: its event loop's, or for a thread outside the group (a RESP event loop, a
     * loader's thread) one of its own for good, so that its calls to a peer go over one connection, in order.
     */
    private int slotOfCurrentThread() {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i).inEventLoop()) {
                return i;
            }
        }
        return outsideSlot.get();
    }

    /** The connections to one peer, and when it may be dialled again after a failed dial. */
    private final class PeerPool {
        private final String member;
        private final String host;
        private final int port;
        /** Each slot's connection, possibly still connecting; calls arriving meanwhile wait on the same one. */
        private final AtomicReferenceArray<CompletableFuture<PeerConnection>> slots =
                new AtomicReferenceArray<>(connectionsPerPeer);
        /** Per slot, the calls waiting for its connection to be made, in the order they were made. */
        private final List<Deque<CompletableFuture<PeerConnection>>> waitingForConnect = new ArrayList<>();
        private final PeerRedialBackoff backoff = new PeerRedialBackoff(connectionsPerPeer, nanoClock);
        private volatile boolean retired;

        PeerPool(String member) {
            this.member = member;
            int colon = member.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("peer '" + member + "' is not host:port");
            }
            this.host = member.substring(0, colon);
            this.port = Integer.parseInt(member.substring(colon + 1));
            for (int i = 0; i < connectionsPerPeer; i++) {
                waitingForConnect.add(new ArrayDeque<>());
            }
        }

        CompletableFuture<PeerResponse> call(PeerRequest request, long timeoutMillis) {
            int slot = slotOfCurrentThread();
            // The common case, an open connection, takes no lock.
            PeerConnection open = openConnection(slots.get(slot));
            CompletableFuture<PeerResponse> result = open != null ? open.call(request, timeoutMillis)
                    : whenConnected(slot, connection(slot), request, timeoutMillis);
            if (retired) {
                // This call took the pool as it was let go: its connection closes once the call is answered.
                retireConnections();
            }
            return result;
        }

        /**
         * Sends {@code request} once {@code connecting} is done, with what is left of its deadline: the connect
         * counts against the call, so a peer whose SYNs go unanswered fails the call at its deadline, not at the
         * connect timeout. The connect itself goes on for the calls that come after.
         *
         * <p>The calls waiting for one slot's connection are let through in the order they were made
         * ({@link #letThrough}), not each by its own dependent of {@code connecting}: a future runs its dependents
         * last registered first, which sent a pipeline's requests backwards when it was the first to a peer, or the
         * first after a reconnect.
         */
        private CompletableFuture<PeerResponse> whenConnected(int slot, CompletableFuture<PeerConnection> connecting,
                                                              PeerRequest request, long timeoutMillis) {
            long deadlineNanos = Deadline.nanoTimeIn(timeoutMillis);
            CompletableFuture<PeerConnection> turn = new CompletableFuture<>();
            boolean first;
            synchronized (this) {
                Deque<CompletableFuture<PeerConnection>> queue = waitingForConnect.get(slot);
                first = queue.isEmpty();
                queue.add(turn);
            }
            if (first) {
                connecting.whenComplete((connection, error) -> letThrough(slot, connection, error));
            }
            return turn.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((connection, error) -> {
                if (error == null && deadlineNanos - System.nanoTime() > 0) {
                    return connection.call(request, deadlineNanos, timeoutMillis);
                }
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return CompletableFuture.<PeerResponse>failedFuture(cause == null || cause instanceof TimeoutException
                        ? new PeerUnavailableException("peer " + member + " did not connect within " + timeoutMillis
                                + " ms")
                        : cause);
            }).thenCompose(Function.identity());
        }

        /**
         * Hands the outcome of a connect to the calls that waited for it, in the order they were made; one whose
         * deadline passed meanwhile has failed already and is not sent.
         */
        private void letThrough(int slot, PeerConnection connection, Throwable error) {
            List<CompletableFuture<PeerConnection>> turns;
            synchronized (this) {
                Deque<CompletableFuture<PeerConnection>> queue = waitingForConnect.get(slot);
                turns = new ArrayList<>(queue);
                queue.clear();
            }
            for (CompletableFuture<PeerConnection> turn : turns) {
                if (error == null) {
                    turn.complete(connection);
                } else {
                    turn.completeExceptionally(error);
                }
            }
        }

        private PeerConnection openConnection(CompletableFuture<PeerConnection> slot) {
            if (slot == null || !slot.isDone() || slot.isCompletedExceptionally()) {
                return null;
            }
            PeerConnection connection = slot.join();
            return connection.isOpen() ? connection : null;
        }

        private synchronized CompletableFuture<PeerConnection> connection(int slot) {
            CompletableFuture<PeerConnection> existing = slots.get(slot);
            boolean connecting = existing != null && !existing.isDone();
            boolean open = existing != null && existing.isDone() && !existing.isCompletedExceptionally()
                    && existing.join().isOpen();
            if (connecting || open) {
                return existing;
            }
            long waitNanos = backoff.nanosToWait();
            if (waitNanos > 0) {
                return CompletableFuture.failedFuture(new PeerUnavailableException("peer " + member
                        + " could not be connected to; retrying in " + waitNanos / 1_000_000 + " ms"));
            }
            PeerConnection connection = new PeerConnection(member, ids, counts, callTimeout.toMillis(), maxFrameBytes);
            CompletableFuture<PeerConnection> ready = new CompletableFuture<>();
            ChannelFuture connect = new Bootstrap()
                    .group(loops.get(slot % loops.size()))
                    .channel(Transports.channel(eventLoops))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis()))
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            PeerFrames.install(ch.pipeline(), maxFrameBytes, PeerResponse.getDefaultInstance());
                            ch.pipeline().addLast("idle", new IdleStateHandler(callTimeout.toMillis(), 0, 0,
                                    TimeUnit.MILLISECONDS));
                            ch.pipeline().addLast("calls", connection);
                        }
                    })
                    .connect(host, port);
            connection.attach(connect.channel());
            slots.set(slot, ready);
            long dialStart = backoff.dialing();
            connect.addListener(
                    done -> dialSettled(slot, dialStart, done.isSuccess(), done.cause(), connection, ready));
            return ready;
        }

        /** Settles the dial of {@code slot} that began at {@code dialStart} ({@link PeerRedialBackoff#dialing}). */
        private synchronized void dialSettled(int slot, long dialStart, boolean ok, Throwable cause,
                                              PeerConnection connection, CompletableFuture<PeerConnection> ready) {
            if (ok) {
                backoff.connected(slot);
                ready.complete(connection);
                return;
            }
            backoff.failed(dialStart, other -> openConnection(slots.get(other)) != null);
            ready.completeExceptionally(new PeerUnavailableException("peer " + member + " unreachable: " + cause));
        }

        synchronized void close() {
            for (int i = 0; i < slots.length(); i++) {
                CompletableFuture<PeerConnection> slot = slots.get(i);
                if (slot != null) {
                    slot.thenAccept(PeerConnection::close);
                }
            }
        }

        /** Lets every connection of the pool go once its calls are done; the pool is out of the client's map. */
        void retire() {
            retired = true;
            retireConnections();
        }

        private synchronized void retireConnections() {
            for (int i = 0; i < slots.length(); i++) {
                CompletableFuture<PeerConnection> slot = slots.get(i);
                if (slot != null) {
                    slot.thenAccept(PeerConnection::retire);
                }
            }
        }
    }
}
