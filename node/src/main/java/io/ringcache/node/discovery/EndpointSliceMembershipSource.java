package io.ringcache.node.discovery;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.ringcache.node.ring.Membership;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The ring from a headless Service's EndpointSlices ({@code discovery.k8s.io/v1}, labelled
 * {@code kubernetes.io/service-name=<service>}) in this node's namespace: list them, deliver the ring, then
 * watch from the list's resource version and deliver every change as it arrives. The ring is the endpoints of
 * every slice of the Service that are ready and not terminating ({@link EndpointSliceMembers}).
 *
 * <p>This node's member id is the one of its pod's IPs that the slices list ({@link SelfAddress}), with its peer
 * port, and only slices of that address family count. A dual-stack pod starts with its primary IP as its id; the
 * first slices of the Service settle which of its IPs the other nodes know it by ({@link Membership#settleSelf}),
 * before any ring lists it, and once a slice lists it the id is fixed for good. The port is always the configured
 * one: slices that list this node's address with another port are a configuration error ({@link SelfPortCheck}).
 *
 * <p>Why list-then-watch here rather than Fabric8's {@code SharedIndexInformer}: the informer resumes a closed
 * watch from its last resource version without telling anyone, so a server that cannot replay what happened
 * in between leaves the ring wrong until the next change; it logs every retry with a stack trace; and after
 * its start it gives no signal when a failure streak ends. Here every watch that ends for any reason (server
 * timeout, dropped connection, {@code 410 Gone}, an error event) is followed, after a backoff, by a fresh list
 * that replaces the ring; then a new watch. Fabric8's own watch reconnection is switched off for this source
 * (a watch reconnect limit of 0 on a view of the client that shares its connections) so that no watch is
 * resumed behind its back. Each watch is asked to last 5 to 10 minutes (as client-go's reflector asks), and one
 * still open well after that is closed here: a watch whose connection died silently (no reset, and Fabric8 does
 * not ping watches) would otherwise leave the ring frozen for good.
 *
 * <p>Failures (403 without the Role, API server unreachable) are retried with backoff (250 ms doubling to
 * 30 s, jittered) and logged as one clear line per streak ({@link FailureStreak}). The source is not
 * {@link #ready()} until its first list succeeded; after that it keeps its last ring through failures.
 *
 * <p>Threads: lists, watch starts and backoff run on one daemon thread ({@code ringcache-discovery}), which waits
 * for a watch's handshake on a short-lived thread of its own no longer than the client's request timeout; watch
 * events arrive on Fabric8's thread. Both change the slice map and deliver under {@code lock}, and a watch
 * only counts while its generation is current, so events of a replaced watch can never overwrite a newer
 * list. Deliveries are serial and in order.
 */
public final class EndpointSliceMembershipSource implements MembershipSource {

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** The shortest life a watch is asked for, as client-go's reflector asks (5 minutes, up to twice that). */
    public static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(EndpointSliceMembershipSource.class);

    private final KubernetesClient client;
    private final SliceQuery query;
    /** The pod's IPs, its primary one first: one of them is this node's address in the Service's slices. */
    private final List<String> podIps;
    private final int defaultPeerPort;
    private final Backoff backoff;
    private final Duration watchTimeout;
    /** How long opening a watch may take: the client's request timeout, as for a list. */
    private final long watchStartTimeoutMillis;
    private final FailureStreak failures = new FailureStreak(LOG);
    private final SelfPortCheck selfPort;
    private final AtomicLong ringUpdates = new AtomicLong();
    private final ScheduledExecutorService discoveryThread;

    private final Object lock = new Object();
    /** The Service's slices by name, as of the last list plus the events of the current watch. */
    private final Map<String, EndpointSlice> slices = new HashMap<>();
    private Membership membership;
    /** This node's member id; read by any thread, changed under {@code lock} until {@link #selfListed}. */
    private volatile String self;
    /** The address of this node's member id; changed with it, under {@code lock}. */
    private String selfIp;
    /** The slices' address family that counts: that of this node's address. */
    private String addressType;
    /** Whether a slice has listed this node's address: from then on its id and address family never change. */
    private boolean selfListed;
    private Set<String> delivered;
    /** Bumped by every re-list: events of a watch from an older generation are ignored. */
    private long generation;
    private Watch watch;

    private volatile boolean ready;
    private volatile boolean closed;

    /**
     * @param client the Kubernetes client (not closed by this source)
     * @param query the Service and namespace to read, and who asks (for error messages)
     * @param podIps this pod's IPs ({@code POD_IPS}, else {@code POD_IP}), its primary one first
     * @param peerPort this node's peer port, also the port of slices without a port named {@code peer}
     * @param initialBackoff the first delay before retrying a failed list or re-listing after a watch ended
     * @param maxBackoff the longest such delay; a watch that lived longer than this resets the backoff
     */
    EndpointSliceMembershipSource(KubernetesClient client, SliceQuery query, List<String> podIps, int peerPort,
                                  Duration initialBackoff, Duration maxBackoff) {
        this(client, query, podIps, peerPort, initialBackoff, maxBackoff, DEFAULT_WATCH_TIMEOUT);
    }

    /**
     * As above, with the watch timeout: the API server is asked to end each watch after this long to twice that
     * (jittered, so that nodes do not re-list together), and a watch still open a while after that is closed here
     * and replaced by a fresh list.
     */
    EndpointSliceMembershipSource(KubernetesClient client, SliceQuery query, List<String> podIps, int peerPort,
                                  Duration initialBackoff, Duration maxBackoff, Duration watchTimeout) {
        // A view sharing the client's connections whose watches never reconnect by themselves (every watch end
        // reaches us, and we re-list) and whose requests are not retried inside Fabric8 (our backoff does it).
        this.client = client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withWatchReconnectLimit(0)
                .withRequestRetryBackoffLimit(0)
                .build()).adapt(KubernetesClient.class);
        this.query = query;
        if (podIps.isEmpty()) {
            throw new IllegalArgumentException("a pod has at least one IP");
        }
        this.podIps = List.copyOf(podIps);
        this.selfIp = this.podIps.get(0);
        this.self = memberId(selfIp, peerPort);
        this.addressType = EndpointSliceMembers.addressTypeOf(this.podIps.get(0));
        this.defaultPeerPort = peerPort;
        this.selfPort = new SelfPortCheck(LOG, query.describe(), peerPort);
        this.backoff = new Backoff(initialBackoff, maxBackoff);
        if (watchTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("the watch timeout must be at least a second, was " + watchTimeout);
        }
        this.watchTimeout = watchTimeout;
        Integer requestTimeoutMillis = client.getConfiguration().getRequestTimeout();
        this.watchStartTimeoutMillis = requestTimeoutMillis != null && requestTimeoutMillis > 0
                ? requestTimeoutMillis : Config.DEFAULT_REQUEST_TIMEOUT;
        ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ringcache-discovery");
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.discoveryThread = thread;
    }

    @Override
    public String self() {
        return self;
    }

    /** Lists the slices in the background and keeps watching them until {@link #close()}. */
    @Override
    public void start(Membership membership) {
        if (!membership.self().equals(self)) {
            throw new IllegalArgumentException("membership is for " + membership.self() + ", this source for " + self);
        }
        synchronized (lock) {
            if (this.membership != null || closed) {
                throw new IllegalStateException("a membership source starts once, before it is closed");
            }
            this.membership = membership;
        }
        LOG.infof("Kubernetes discovery: watching %s through %s; this node is %s%s", query.describe(), query.apiServer(),
                self, podIps.size() > 1 ? " until the slices show which of its IPs " + podIps + " they list" : "");
        runOnDiscoveryThread(this::relist, 0);
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public long errors() {
        return failures.failures();
    }

    @Override
    public long ringUpdates() {
        return ringUpdates.get();
    }

    @Override
    public Optional<String> peerPortMismatch() {
        return selfPort.mismatch();
    }

    @Override
    public String description() {
        return "kubernetes: " + query.describe() + " via " + query.apiServer();
    }

    /**
     * Stops at once: no retry runs after this, and the current watch is closed. A list or watch start in
     * progress is not interrupted (an interrupted watch start could leave an open watch nobody closes); it
     * finishes in the background, sees the source closed, and closes what it opened.
     */
    @Override
    public void close() {
        closed = true;
        discoveryThread.shutdown();
        Watch current;
        synchronized (lock) {
            generation++;
            current = watch;
            watch = null;
        }
        if (current != null) {
            current.close();
        }
    }

    private FilterWatchListDeletable<EndpointSlice, EndpointSliceList, Resource<EndpointSlice>> serviceSlices() {
        return client.discovery().v1().endpointSlices().inNamespace(query.namespace())
                .withLabel(SliceQuery.SERVICE_NAME_LABEL, query.service());
    }

    /** On the discovery thread: replace the ring by a fresh list, then watch from there. */
    private void relist() {
        long listGeneration;
        Watch previous;
        synchronized (lock) {
            if (closed) {
                return;
            }
            listGeneration = ++generation;
            previous = watch;
            watch = null;
        }
        if (previous != null) {
            previous.close();
        }
        EndpointSliceList list;
        try {
            list = serviceSlices().list();
        } catch (RuntimeException e) {
            retryAfterFailure("list", e);
            return;
        }
        synchronized (lock) {
            if (closed || listGeneration != generation) {
                return;
            }
            slices.clear();
            list.getItems().forEach(slice -> slices.put(slice.getMetadata().getName(), slice));
            deliver();
        }
        ready = true;
        Watch started;
        long timeoutSeconds = watchTimeout.toSeconds()
                + ThreadLocalRandom.current().nextLong(watchTimeout.toSeconds() + 1);
        try {
            started = startWatch(new ListOptionsBuilder()
                    .withResourceVersion(list.getMetadata().getResourceVersion())
                    .withTimeoutSeconds(timeoutSeconds).build(), new SliceWatcher(listGeneration));
        } catch (RuntimeException e) {
            retryAfterFailure("watch", e);
            return;
        }
        boolean current;
        synchronized (lock) {
            current = !closed && listGeneration == generation;
            if (current) {
                watch = started;
            }
        }
        if (!current) {
            started.close();
            return;
        }
        failures.succeeded();
        // Nothing else would notice a watch whose connection died without a reset (the API server's host lost,
        // a load balancer that dropped the flow): Fabric8 does not ping watches, nothing is ever sent on one, and
        // it would stay open and silent for good, the ring frozen while the node reports ready.
        long overdueMillis = TimeUnit.SECONDS.toMillis(timeoutSeconds) + Math.max(1_000, watchTimeout.toMillis() / 10);
        runOnDiscoveryThread(() -> watchOverdue(listGeneration, timeoutSeconds), overdueMillis);
    }

    /**
     * Opens a watch, waiting for the API server's answer no longer than for any other request. Fabric8 waits for a
     * watch's handshake without a limit, so an API server that accepted the request and then went silent (its host
     * lost between our list and this watch) would hold the discovery thread, and freeze the ring, for good.
     *
     * @throws KubernetesClientException when the watch could not be opened, or not in time
     */
    private Watch startWatch(ListOptions options, SliceWatcher watcher) {
        CompletableFuture<Watch> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opened.complete(serviceSlices().watch(options, watcher));
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
            }
        }, "ringcache-discovery-watch-start");
        opener.setDaemon(true);
        opener.start();
        try {
            return opened.get(watchStartTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The interrupt ends Fabric8's wait and frees the thread. Should the handshake complete all the same, the
            // watch is closed at once, and its watcher, told to stop counting here, ignores what it says meanwhile.
            watcher.abandon();
            opener.interrupt();
            opened.thenAccept(Watch::close);
            throw new KubernetesClientException("no answer to the watch request within " + watchStartTimeoutMillis
                    + " ms", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KubernetesClientException(
                    "the watch request failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while opening the watch", e);
        }
    }

    /** On the discovery thread: a watch the API server was asked to end long ago is still open; replace it. */
    private void watchOverdue(long watchGeneration, long timeoutSeconds) {
        synchronized (lock) {
            if (closed || watchGeneration != generation) {
                return;
            }
        }
        LOG.warnf("The watch on %s is still open after the %d s the API server was asked to end it in: its connection "
                + "may have died silently; listing again", query.describe(), timeoutSeconds);
        relist();
    }

    /** Whatever went wrong (usually a {@link KubernetesClientException}), the loop goes on after a backoff. */
    private void retryAfterFailure(String operation, RuntimeException failure) {
        if (closed) {
            return;
        }
        String meanwhile = ready
                ? "Retrying with backoff; the node keeps its last ring meanwhile."
                : "Retrying with backoff; the node is not ready until it has listed the ring once.";
        failures.failed(query.explain(operation, failure, meanwhile), failure);
        runOnDiscoveryThread(this::relist, backoff.nextMillis());
    }

    /** On the discovery thread, after a watch of this generation ended: re-list after a backoff. */
    private void watchEnded(long watchGeneration, long livedNanos, WatcherException cause) {
        synchronized (lock) {
            if (closed || watchGeneration != generation) {
                return;
            }
        }
        // A watch that lived longer than the longest backoff was healthy: this end is routine (the API server
        // ends each watch after the 5-10 minutes it was asked to last), not part of a run of failures.
        boolean routine = livedNanos > TimeUnit.MILLISECONDS.toNanos(backoff.maxMillis());
        if (routine) {
            backoff.reset();
        }
        long delay = backoff.nextMillis();
        // Fabric8 reports a plain end as "Exhausted reconnects" (its reconnects are off here); only a cause says more.
        boolean plain = cause.getCause() == null;
        String why = plain ? "" : " (" + cause.getMessage() + ")";
        LOG.logf(routine && plain ? Logger.Level.DEBUG : Logger.Level.INFO, "The watch on %s ended%s; listing again in %d ms",
                query.describe(), why, delay);
        runOnDiscoveryThread(this::relist, delay);
    }

    /** Under {@code lock}: hands the members to the membership when they changed, this node's id settled first. */
    private void deliver() {
        if (!selfListed) {
            SelfAddress.in(slices.values(), podIps).ifPresent(this::settleSelf);
        }
        selfPort.check(slices.values(), addressType, selfIp);
        Set<String> members = EndpointSliceMembers.of(slices.values(), addressType, defaultPeerPort);
        if (members.equals(delivered)) {
            return;
        }
        if (delivered == null) {
            LOG.infof("Kubernetes discovery listed the ring: %d members %s", members.size(), members);
        } else {
            Set<String> joined = new TreeSet<>(members);
            joined.removeAll(delivered);
            Set<String> left = new TreeSet<>(delivered);
            left.removeAll(members);
            LOG.infof("Ring changed: %d members; joined %s, left %s", members.size(), joined, left);
        }
        delivered = members;
        ringUpdates.incrementAndGet();
        try {
            membership.update(members);
        } catch (RuntimeException e) {
            // The ring itself is swapped before listeners run; one failing listener must not stop discovery.
            LOG.error("A ring change listener failed; discovery goes on", e);
        }
    }

    /**
     * Under {@code lock}, while no slice listed this node: takes the address the slices list, or will list, as its
     * id. Peers route to it, send hand-offs and hints to it, and name it as a hot copy's holder under that id only.
     */
    private void settleSelf(SelfAddress.Choice choice) {
        selfListed = choice.listed();
        String id = memberId(choice.ip(), defaultPeerPort);
        if (id.equals(self)) {
            return;
        }
        // No ring listed the old id: the slices of its family, which the ring came from, never listed it.
        membership.settleSelf(id);
        LOG.infof("Kubernetes discovery: this node is %s, its %s address, the family of the Service's slices "
                + "(its IPs are %s)", id, EndpointSliceMembers.addressTypeOf(choice.ip()), podIps);
        self = id;
        selfIp = choice.ip();
        addressType = EndpointSliceMembers.addressTypeOf(choice.ip());
    }

    private static String memberId(String ip, int peerPort) {
        return ip + ":" + peerPort;
    }

    private void runOnDiscoveryThread(Runnable task, long delayMillis) {
        try {
            discoveryThread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing more to do
        }
    }

    /** Applies one watch's events to the slice map while its generation is current. */
    private final class SliceWatcher implements Watcher<EndpointSlice> {

        private final long watchGeneration;
        private final long startedNanos = System.nanoTime();
        /** Set when its start took too long: the re-list after that owns the ring, whatever this watch says. */
        private volatile boolean abandoned;

        SliceWatcher(long watchGeneration) {
            this.watchGeneration = watchGeneration;
        }

        void abandon() {
            abandoned = true;
        }

        @Override
        public void eventReceived(Action action, EndpointSlice slice) {
            synchronized (lock) {
                if (closed || abandoned || watchGeneration != generation) {
                    return;
                }
                switch (action) {
                    case ADDED, MODIFIED -> slices.put(slice.getMetadata().getName(), slice);
                    case DELETED -> slices.remove(slice.getMetadata().getName());
                    default -> {
                        return;
                    }
                }
                deliver();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (abandoned) {
                return;
            }
            long lived = System.nanoTime() - startedNanos;
            runOnDiscoveryThread(() -> watchEnded(watchGeneration, lived, cause), 0);
        }

        @Override
        public void onClose() {
            // Closed by this source (a re-list or close()): nothing to do.
        }
    }
}
