package io.ringcache.node.core;

import io.netty.channel.EventLoopGroup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.discovery.MembershipSource;
import io.ringcache.node.discovery.MembershipSources;
import io.ringcache.node.discovery.PodEnvironment;
import io.ringcache.node.group.Cluster;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupPeerService;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Groups;
import io.ringcache.node.group.HttpOriginLoader;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.group.Loader;
import io.ringcache.node.handoff.HandoffStats;
import io.ringcache.node.handoff.HandoffStream;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.PeerSettings;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.resp.RespServer;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.ExpirySweeper;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One cache node as plain Java: its groups, their stores and loaders, the peer server and client that join
 * it to the other nodes, and the sweeper that expires entries. Quarkus wraps it (configuration, HTTP, health,
 * metrics); tests and embedders start it directly, several in one JVM if they like.
 */
public final class CacheNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CacheNode.class);
    /** The most keys per group whose hot-copy holders an owner remembers. */
    private static final long MAX_HOT_KEYS_TRACKED = 65_536;
    /**
     * How often writes made in the place of an owner that did not answer are offered to it again: the longest
     * an owner that answers again serves an older value, plus one call.
     */
    static final Duration HINT_ROUND = Duration.ofMillis(200);

    private final NodeSettings settings;
    private final Groups groups;
    private final Membership membership;
    private final MembershipSource membershipSource;
    /** The peer event loops if this node made them (it shuts them down); {@code null} when they were shared. */
    private final EventLoopGroup ownedEventLoops;
    private final PeerServer peerServer;
    private final PeerClient peerClient;
    private final GroupPeerService peerService;
    private final HandoffStream handoff;
    private final ExpirySweeper expirySweeper;
    /** The Redis protocol front end, or {@code null} when {@code ringcache.resp.enabled} is false. */
    private final RespServer respServer;
    private final ScheduledFuture<?> hintRounds;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CacheNode(NodeSettings settings, Groups groups, Membership membership, MembershipSource membershipSource,
                      EventLoopGroup ownedEventLoops,
                      PeerServer peerServer, PeerClient peerClient, GroupPeerService peerService,
                      HandoffStream handoff, ExpirySweeper expirySweeper, RespServer respServer,
                      ScheduledFuture<?> hintRounds) {
        this.settings = settings;
        this.groups = groups;
        this.membership = membership;
        this.membershipSource = membershipSource;
        this.ownedEventLoops = ownedEventLoops;
        this.peerServer = peerServer;
        this.peerClient = peerClient;
        this.peerService = peerService;
        this.handoff = handoff;
        this.expirySweeper = expirySweeper;
        this.respServer = respServer;
        this.hintRounds = hintRounds;
    }

    /**
     * Builds every group of {@code settings}, starts serving peers and expiring entries, and starts discovery.
     * In Kubernetes mode it builds a Fabric8 client from the environment (in-cluster or kubeconfig).
     */
    public static CacheNode start(NodeSettings settings) {
        return start(settings, TimeSource.SYSTEM, () -> new KubernetesClientBuilder().build());
    }

    /**
     * As {@link #start(NodeSettings)}, with the clock used for TTLs and the Kubernetes client to discover members
     * with (asked for only in Kubernetes mode; the node does not close it).
     */
    public static CacheNode start(NodeSettings settings, TimeSource time, Supplier<KubernetesClient> kubernetes) {
        return start(settings, time, kubernetes, null);
    }

    /**
     * As {@link #start(NodeSettings, TimeSource, Supplier)}, serving and calling peers on {@code sharedLoops}:
     * the host's own event loops (Vert.x's in the Quarkus shell), so that a request received over HTTP is
     * forwarded, answered and completed on one thread. {@code null}: the node makes its own loops, one per core.
     * The node never shuts down loops it was given.
     */
    public static CacheNode start(NodeSettings settings, TimeSource time, Supplier<KubernetesClient> kubernetes,
                                  EventLoopGroup sharedLoops) {
        PeerSettings peer = settings.peer();
        EventLoopGroup loops = sharedLoops != null ? sharedLoops
                : Transports.newEventLoops(Runtime.getRuntime().availableProcessors(), "ringcache-peer");
        boolean ownsLoops = sharedLoops == null;
        PeerServiceSlot slot = new PeerServiceSlot();
        PeerServer server;
        try {
            server = PeerServer.start(peer.host(), peer.port(), peer.maxFrameBytes(), slot, loops);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (ownsLoops) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("interrupted while binding the peer port", e);
        } catch (RuntimeException e) {
            if (ownsLoops) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("cannot bind the peer port " + peer.host() + ":" + peer.port() + ": " + e, e);
        }
        MembershipSource source;
        try {
            source = MembershipSources.create(settings.discovery(), server.port(), PodEnvironment.system(), kubernetes);
        } catch (RuntimeException e) {
            server.close();
            if (ownsLoops) {
                loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw e;
        }
        Membership membership = new Membership(source.self(), settings.ring().emptyRing());
        PeerClient client = new PeerClient(loops, peer.connectionsPerPeer(), peer.maxFrameBytes(), peer.callTimeout());
        // Every pod address that ever joined would otherwise keep a pool, and its connections, for the node's life.
        // The ring now, not the one the listener is told of: two changes' listeners may run in either order, and the
        // older ring would close the pools of members the newer one added.
        membership.onChange((before, after) -> client.retainOnly(Set.copyOf(membership.ring().members())));
        Cluster cluster = new Cluster(membership, client, peer.callTimeout(), settings.backups());

        HttpClient originClient = HttpOriginLoader.newClient();
        List<Group> groups = new ArrayList<>();
        ExpirySweeper sweeper = new ExpirySweeper(settings.expirySweepInterval());
        for (GroupSettings g : settings.groups()) {
            Store store = Stores.create(g.eviction(), g.maxBytes(), EntryCharge.BYTES, time);
            Loader loader = g.origin().map(url -> new HttpOriginLoader(originClient, url, g.loadTimeout(),
                    settings.limits().maxValueBytes())).orElse(null);
            LocalGroup local = new LocalGroup(g, store, loader, settings.limits(), time);
            groups.add(new Group(local, cluster, settings.hotKeys(), time, MAX_HOT_KEYS_TRACKED));
            sweeper.register(store);
        }
        Groups all = new Groups(groups);
        HandoffStream handoff = new HandoffStream(all, membership, client, settings.backups(), settings.handoff(),
                peer.callTimeout(), time);
        GroupPeerService service = new GroupPeerService(all, membership, handoff::owesEntriesTo);
        slot.fill(service);
        RespServer resp = null;
        if (settings.resp().enabled()) {
            try {
                resp = RespServer.start(settings.resp(), all.get(settings.resp().group()), settings.limits(), time);
            } catch (RuntimeException e) {
                handoff.close();
                server.close();
                client.close();
                sweeper.close();
                if (ownsLoops) {
                    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                }
                throw e;
            }
        }
        source.start(membership);
        // On an event loop: a round only starts calls and never blocks it.
        ScheduledFuture<?> hintRounds = loops.next().scheduleWithFixedDelay(() -> deliverHints(all),
                HINT_ROUND.toMillis(), HINT_ROUND.toMillis(), TimeUnit.MILLISECONDS);
        return new CacheNode(settings, all, membership, source, ownsLoops ? loops : null, server, client, service, handoff,
                sweeper, resp, hintRounds);
    }

    /** One hint round for every group; a failing group neither stops the others nor the rounds to come. */
    private static void deliverHints(Groups groups) {
        for (Group group : groups.all()) {
            try {
                group.deliverHints();
            } catch (RuntimeException e) {
                LOG.errorf(e, "a round of hinted writes of group '%s' failed; the next one follows in %d ms",
                        group.name(), HINT_ROUND.toMillis());
            }
        }
    }

    public NodeSettings settings() {
        return settings;
    }

    public Groups groups() {
        return groups;
    }

    /** The ring this node routes by; its member sources call {@link Membership#update}. */
    public Membership membership() {
        return membership;
    }

    /** Where the ring's members come from. */
    public MembershipSource membershipSource() {
        return membershipSource;
    }

    /**
     * Whether the node is in service: discovery has delivered the ring and the node is not leaving. Readiness
     * reports this. Being in the ring is not required: in Kubernetes a pod's endpoint turns ready only after its
     * readiness probe passed, so a node that waited to be in the ring would never be; until it is, it serves by
     * asking the keys' owners.
     */
    public boolean inService() {
        return membershipSource.ready() && !membership.isLeaving();
    }

    /** The port the Redis protocol server listens on (useful after binding port 0), or -1 when it is disabled. */
    public int respPort() {
        return respServer == null ? -1 : respServer.port();
    }

    /** The port the peer server bound (useful when configured as 0). */
    public int peerPort() {
        return peerServer.port();
    }

    /** Calls to other nodes, for the cluster view (pings). */
    public PeerClient peerClient() {
        return peerClient;
    }

    /** Serves other nodes' calls, for its counters (connections closed for bad input, requests refused). */
    public PeerServer peerServer() {
        return peerServer;
    }

    /** What this node served for other nodes. */
    public GroupPeerService peerService() {
        return peerService;
    }

    /** What this node's hand-offs did. */
    public HandoffStats handoffStats() {
        return handoff.stats();
    }

    /**
     * Writes this node applied in the place of owners that did not answer, in every group, not yet delivered to
     * those owners: until they are, this node holds the only copy of each.
     */
    public long hintsPending() {
        long pending = 0;
        for (Group group : groups.all()) {
            pending += group.routingStats().hintsPending();
        }
        return pending;
    }

    /**
     * Waits until the new owners have acknowledged every entry the ring changes seen so far moved away from this
     * node (entries a new owner did not acknowledge are offered to it again meanwhile).
     *
     * @return whether that happened within {@code timeout}
     */
    public boolean awaitHandoff(Duration timeout) {
        return handoff.awaitHandedOff(timeout);
    }

    /**
     * Leaves the ring, hands every entry to its new owner and delivers every hinted write to its owner (within
     * {@code ringcache.shutdown.grace}), then closes. Requests from other nodes that arrive meanwhile are sent on
     * to the keys' next members. Entries that no new owner acknowledged within the grace period are lost:
     * {@link #handoffStats()} counts them; so are hinted writes whose owner stayed silent ({@link #hintsPending()}).
     *
     * @return whether every entry was handed over, and every hint delivered, within the grace period
     */
    public boolean stopGracefully() {
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        membership.leave();
        boolean handedOff = handoff.awaitHandedOff(settings.shutdownGrace());
        boolean hintsDelivered = awaitHints(deadline);
        close();
        return handedOff && hintsDelivered;
    }

    /**
     * Waits, until {@code deadlineNanos}, for the hint rounds to deliver every write this node applied in an absent
     * owner's place. The hand-off leaves each to its hint (which can carry a delete, as a hand-off cannot), and each
     * is a write this node acknowledged and may alone hold: closing before its round would lose it.
     */
    private boolean awaitHints(long deadlineNanos) {
        while (hintsPending() > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(HINT_ROUND.toMillis() / 4)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops at once: closes the Redis protocol server, the peer server and connections, the hand-off and the
     * expiry sweeper. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (respServer != null) {
            respServer.close();
        }
        hintRounds.cancel(false);
        membershipSource.close();
        handoff.close();
        peerServer.close();
        peerClient.close();
        expirySweeper.close();
        if (ownedEventLoops != null) {
            ownedEventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
