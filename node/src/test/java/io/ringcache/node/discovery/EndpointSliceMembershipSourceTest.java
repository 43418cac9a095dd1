package io.ringcache.node.discovery;

import static io.ringcache.node.discovery.FakeApiServer.NAMESPACE;
import static io.ringcache.node.discovery.FakeApiServer.SERVICE_ACCOUNT;
import static io.ringcache.node.discovery.FakeApiServer.endpoint;
import static io.ringcache.node.discovery.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.testing.CapturedLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes discovery against a mock API server in CRUD mode: the test plays the EndpointSlice controller
 * and checks the ring each change gives, how fast it arrives, and how the source lives through a missing Role
 * and a watch the server closes.
 */
class EndpointSliceMembershipSourceTest {

    private static final String SERVICE = "demo-peers";
    private static final List<String> POD_IPS = List.of("10.0.0.1");
    private static final int PEER_PORT = 7100;
    private static final Duration RING_CHANGE_LIMIT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeApiServer api;
    private KubernetesClient nodeClient;
    private EndpointSliceMembershipSource source;
    private Membership membership;
    private final BlockingQueue<RingChange> changes = new LinkedBlockingQueue<>();
    private final List<Long> latenciesMillis = new ArrayList<>();

    private record RingChange(long atNanos, Set<String> members) {
    }

    @BeforeEach
    void startApiServer() {
        api = new FakeApiServer();
        nodeClient = api.newNodeClient();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        nodeClient.close();
        api.close();
        if (!latenciesMillis.isEmpty()) {
            System.out.println("EndpointSlice change -> Membership latencies (ms): " + latenciesMillis);
        }
    }

    private void startSource() {
        startSource(POD_IPS);
    }

    /** Starts a source for a pod with these IPs, its primary one first (as {@code status.podIPs} lists them). */
    private void startSource(List<String> podIps) {
        source = new EndpointSliceMembershipSource(nodeClient,
                new SliceQuery(NAMESPACE, SERVICE, Optional.of(SERVICE_ACCOUNT), nodeClient.getMasterUrl().toString()), podIps, PEER_PORT,
                Duration.ofMillis(50), Duration.ofMillis(400));
        membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
        membership.onChange((old, next) -> changes.add(new RingChange(System.nanoTime(), Set.copyOf(next.members()))));
        source.start(membership);
    }

    /**
     * Starts the source and waits until it has listed and is watching: the mock server does not replay events
     * from a resource version (a real API server does), so a change made before the watch is open would be
     * seen only by the next list.
     */
    private void startSourceAndAwaitWatch() {
        startSource();
        await().atMost(WAIT).until(() -> source.ready() && api.openWatches() == 1);
    }

    private Set<String> ring() {
        return Set.copyOf(membership.ring().members());
    }

    /**
     * Runs {@code change} against the API server and returns once the ring is {@code expected}.
     *
     * @return milliseconds from just before the change was sent to the ring change
     */
    private long changeAndAwaitRing(Runnable change, String... expected) throws InterruptedException {
        long before = System.nanoTime();
        change.run();
        Set<String> want = Set.of(expected);
        long deadline = before + WAIT.toNanos();
        while (true) {
            RingChange next = changes.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("no ring change to %s arrived; the ring is %s", want, ring()).isNotNull();
            if (next.members().equals(want)) {
                return TimeUnit.NANOSECONDS.toMillis(next.atNanos() - before);
            }
        }
    }

    /** As {@link #changeAndAwaitRing}, and the ring must change within {@link #RING_CHANGE_LIMIT}. */
    private void changeAndExpectRingWithinLimit(Runnable change, String... expected) throws InterruptedException {
        long millis = changeAndAwaitRing(change, expected);
        latenciesMillis.add(millis);
        assertThat(Duration.ofMillis(millis)).as("slice change to ring change").isLessThan(RING_CHANGE_LIMIT);
    }

    @Test
    void readyEndpointsOfEverySliceOfTheServiceFormTheRingOnce() {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false),
                endpoint("10.0.0.9", false, false)).build());
        api.apply(slice("demo-peers-b", SERVICE, PEER_PORT,
                endpoint("10.0.0.3", true, false), endpoint("10.0.0.2", true, false),
                endpoint("10.0.0.8", true, true)).build());
        api.apply(slice("other-peers-a", "other-peers", PEER_PORT, endpoint("10.0.1.1", true, false)).build());

        startSource();
        await().atMost(WAIT).until(source::ready);

        assertThat(ring()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7100");
        assertThat(source.ringUpdates()).isEqualTo(1);
        assertThat(source.errors()).isZero();
        assertThat(source.self()).isEqualTo("10.0.0.1:7100");
    }

    @Test
    void everySliceChangeReachesTheRingWithinOneSecond() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, 9001, endpoint("127.0.0.1", true, false)).build());
        startSourceAndAwaitWatch();
        assertThat(ring()).containsExactly("127.0.0.1:9001");
        // Untimed: the first event a new client decodes builds its JSON decoders (up to a second on a loaded
        // machine); the limit is for a running node.
        changeAndAwaitRing(() -> api.apply(slice("demo-peers-w", SERVICE, 9009, endpoint("127.0.0.1", true, false)).build()),
                "127.0.0.1:9001", "127.0.0.1:9009");

        // A second node's slice appears with its endpoint not ready yet: no change; then it turns ready.
        api.apply(slice("demo-peers-b", SERVICE, 9002, endpoint("127.0.0.1", false, false)).build());
        changeAndExpectRingWithinLimit(() -> api.apply(slice("demo-peers-b", SERVICE, 9002, endpoint("127.0.0.1", true, false)).build()),
                "127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9009");
        // A third node in its own slice.
        changeAndExpectRingWithinLimit(() -> api.apply(slice("demo-peers-c", SERVICE, 9003, endpoint("127.0.0.1", true, false)).build()),
                "127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003", "127.0.0.1:9009");
        // The second node starts terminating: it drains, out of the ring, though still listed.
        changeAndExpectRingWithinLimit(() -> api.apply(slice("demo-peers-b", SERVICE, 9002, endpoint("127.0.0.1", false, true)).build()),
                "127.0.0.1:9001", "127.0.0.1:9003", "127.0.0.1:9009");
        // Its endpoint is removed from the slice, then the slice itself; the ring stays as it is.
        api.apply(slice("demo-peers-b", SERVICE, 9002).build());
        api.delete("demo-peers-b");
        // The third node's slice is deleted outright.
        changeAndExpectRingWithinLimit(() -> api.delete("demo-peers-c"), "127.0.0.1:9001", "127.0.0.1:9009");
        // A slice of another Service changes nothing; the next change of ours is the next ring change.
        api.apply(slice("other-peers-a", "other-peers", 9100, endpoint("127.0.0.1", true, false)).build());
        changeAndExpectRingWithinLimit(() -> api.delete("demo-peers-w"), "127.0.0.1:9001");

        assertThat(changes).isEmpty();
        assertThat(source.ringUpdates()).isEqualTo(7);
        assertThat(source.errors()).isZero();
    }

    @Test
    void theSameEndpointInTwoSlicesIsOneMemberUntilBothDropIt() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build());
        api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build());
        startSourceAndAwaitWatch();
        assertThat(ring()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");

        // Moving between slices (as the controller does when it rebalances) is no change at all.
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        changeAndAwaitRing(() -> api.delete("demo-peers-b"), "10.0.0.1:7100");
        assertThat(source.ringUpdates()).isEqualTo(2);
    }

    /** As {@link FakeApiServer#slice}, of the Service's IPv6 slices. */
    private static EndpointSlice ipv6Slice(String name, EndpointBuilder... endpoints) {
        return new EndpointSliceBuilder(slice(name, SERVICE, PEER_PORT, endpoints).build()).withAddressType("IPv6").build();
    }

    private void assertSelfIsInItsRing(String expectedSelf) {
        assertThat(source.self()).isEqualTo(expectedSelf);
        assertThat(membership.self()).isEqualTo(expectedSelf);
        assertThat(membership.ring().contains(expectedSelf)).as("self %s in ring %s", expectedSelf, ring()).isTrue();
    }

    @Test
    void aDualStackPodWhosePrimaryAddressIsIpv6FindsItselfInTheServicesIpv4Slices() {
        // The cluster gives pods an IPv6 address first, the single-stack Service is IPv4: the slices list only the
        // pods' IPv4 addresses, and the other nodes know this one as 10.0.0.1:7100.
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build());

        startSource(List.of("fd00::1", "10.0.0.1"));
        await().atMost(WAIT).until(source::ready);

        assertThat(ring()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");
        assertSelfIsInItsRing("10.0.0.1:7100");
    }

    @Test
    void aDualStackPodWhosePrimaryAddressIsIpv4FindsItselfInTheServicesIpv6Slices() {
        api.apply(ipv6Slice("demo-peers-a", endpoint("fd00::1", true, false), endpoint("fd00::2", true, false)));

        startSource(List.of("10.0.0.1", "fd00::1"));
        await().atMost(WAIT).until(source::ready);

        assertThat(ring()).containsExactlyInAnyOrder("fd00::1:7100", "fd00::2:7100");
        assertSelfIsInItsRing("fd00::1:7100");
    }

    @Test
    void aDualStackServiceMakesTheRingOfThePrimaryAddressesOnly() {
        // Every pod is listed once per family; nodes that started before POD_IPS existed used POD_IP's family, and
        // every node must still pick the same one.
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build());
        api.apply(ipv6Slice("demo-peers-b", endpoint("fd00::1", true, false), endpoint("fd00::2", true, false)));

        startSource(List.of("fd00::1", "10.0.0.1"));
        await().atMost(WAIT).until(source::ready);

        assertThat(ring()).containsExactlyInAnyOrder("fd00::1:7100", "fd00::2:7100");
        assertSelfIsInItsRing("fd00::1:7100");
    }

    @Test
    void aPodStartedBeforeItsServiceHasSlicesSettlesOnTheAddressTheSlicesList() throws InterruptedException {
        startSource(List.of("fd00::1", "10.0.0.1"));
        await().atMost(WAIT).until(() -> source.ready() && api.openWatches() == 1);
        assertThat(ring()).isEmpty();

        // The other node is listed first, then this one, not yet ready: its id is its IPv4 address before it is
        // in the ring, so the requests it forwards meanwhile already say who it is as the other nodes know it.
        changeAndAwaitRing(() -> api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                endpoint("10.0.0.2", true, false)).build()), "10.0.0.2:7100");
        assertThat(source.self()).isEqualTo("10.0.0.1:7100");
        assertThat(membership.self()).isEqualTo("10.0.0.1:7100");
        changeAndAwaitRing(() -> api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                endpoint("10.0.0.2", true, false), endpoint("10.0.0.1", true, false)).build()),
                "10.0.0.1:7100", "10.0.0.2:7100");
        assertSelfIsInItsRing("10.0.0.1:7100");
    }

    @Test
    void anOwnAddressListedWithAnotherPeerPortIsOneWarningPerMismatchUntilTheSlicesListItsOwnPort()
            throws InterruptedException {
        // The Service's port named peer targets 7200 while the node listens on 7100 (ringcache.peer-port).
        api.apply(slice("demo-peers-a", SERVICE, 7200,
                endpoint("10.0.0.1", false, false), endpoint("10.0.0.2", true, false)).build());
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSourceAndAwaitWatch();
            // Listed, not ready yet, as a pod is soon after it starts: the port is wrong already.
            assertThat(source.peerPortMismatch()).hasValue("the EndpointSlices of service '" + SERVICE
                    + "' in namespace '" + NAMESPACE + "' list 10.0.0.1 with peer port 7200; this node serves 7100 "
                    + "(ringcache.peer-port)");
            assertThat(log.messages(Level.WARNING)).singleElement().satisfies(line -> assertThat(line)
                    .contains("address 10.0.0.1 with peer port 7200", "listens on 7100 (ringcache.peer-port)",
                            "port named 'peer' target port 7100")
                    .doesNotContain("\n"));

            // Its endpoint turns ready, another node joins, a fresh list replaces the watch: the same mismatch,
            // no second line, and the node never finds itself in its ring.
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-a", SERVICE, 7200,
                    endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build()),
                    "10.0.0.1:7200", "10.0.0.2:7200");
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-b", SERVICE, 7200, endpoint("10.0.0.3", true, false))
                    .build()), "10.0.0.1:7200", "10.0.0.2:7200", "10.0.0.3:7200");
            assertThat(api.closeOpenWatches()).isEqualTo(1);
            await().atMost(WAIT).until(() -> api.watchesOpened() == 2 && api.openWatches() == 1);
            assertThat(membership.ring().contains(source.self())).isFalse();
            assertThat(log.messages(Level.WARNING)).hasSize(1);

            // Another wrong port is another line; the node's own port ends the mismatch with one INFO line.
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-a", SERVICE, 7300,
                    endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build()),
                    "10.0.0.1:7300", "10.0.0.2:7300", "10.0.0.3:7200");
            assertThat(log.messages(Level.WARNING)).hasSize(2).last().asString().contains("peer port 7300");
            assertThat(source.peerPortMismatch()).get().asString()
                    .contains("with peer port 7300; this node serves 7100");
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-a", SERVICE, PEER_PORT,
                    endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build()),
                    "10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7200");
            assertSelfIsInItsRing("10.0.0.1:7100");
            assertThat(source.peerPortMismatch()).isEmpty();
            assertThat(log.messages(Level.INFO)).filteredOn(line -> line.contains("with its peer port 7100 again"))
                    .hasSize(1);
            assertThat(log.messages(Level.WARNING)).hasSize(2);
        }
    }

    @Test
    void anOwnAddressListedWithItsOwnPeerPortOrWithoutAPeerPortWarnsNothing() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSourceAndAwaitWatch();
            assertSelfIsInItsRing("10.0.0.1:7100");

            // Another node listed with another port is that node's business, not this one's.
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-b", SERVICE, 7200, endpoint("10.0.0.2", true, false))
                    .build()), "10.0.0.1:7100", "10.0.0.2:7200");
            // A slice without a port named peer lists every address with the configured port, this node's too.
            changeAndAwaitRing(() -> api.apply(new EndpointSliceBuilder(slice("demo-peers-a", SERVICE, 0,
                    endpoint("10.0.0.1", true, false), endpoint("10.0.0.3", true, false)).build())
                    .withPorts(List.of()).addNewPort().withName("tcp").withPort(7300).endPort().build()),
                    "10.0.0.1:7100", "10.0.0.2:7200", "10.0.0.3:7100");
            assertSelfIsInItsRing("10.0.0.1:7100");
            assertThat(source.peerPortMismatch()).isEmpty();
            assertThat(log.messages(Level.WARNING)).isEmpty();
        }
    }

    @Test
    void forbiddenKeepsTheSourceNotReadyWithOneClearErrorPerStreakAndRecovers() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        api.forbidSliceReads(true);
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSource();
            await().atMost(WAIT).until(() -> source.errors() >= 4);
            assertThat(api.forbiddenReads()).isGreaterThanOrEqualTo(4);
            assertThat(source.ready()).isFalse();
            assertThat(ring()).isEmpty();
            assertThat(log.messages(Level.SEVERE)).singleElement().satisfies(line -> assertThat(line)
                    .contains("forbidden (HTTP 403)", "get, list and watch", "endpointslices.discovery.k8s.io",
                            "namespace '" + NAMESPACE + "'", SERVICE_ACCOUNT, "Role", "not ready")
                    .doesNotContain("\n"));

            api.forbidSliceReads(false);
            await().atMost(WAIT).until(() -> recoveries(log) == 1);
            assertThat(source.ready()).isTrue();
            assertThat(ring()).containsExactly("10.0.0.1:7100");

            // The Role goes away again while the node runs: the ring is kept, the node stays ready, one more line.
            api.forbidSliceReads(true);
            int refusedBefore = api.forbiddenReads();
            api.closeOpenWatches();
            await().atMost(WAIT).until(() -> api.forbiddenReads() >= refusedBefore + 3);
            assertThat(source.ready()).isTrue();
            assertThat(ring()).containsExactly("10.0.0.1:7100");
            assertThat(log.messages(Level.SEVERE)).hasSize(2);
            assertThat(log.messages(Level.SEVERE).get(1)).contains("forbidden (HTTP 403)", "keeps its last ring");

            api.forbidSliceReads(false);
            await().atMost(WAIT).until(() -> recoveries(log) == 2);
            changeAndAwaitRing(() -> api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build()),
                    "10.0.0.1:7100", "10.0.0.2:7100");
            assertThat(log.messages(Level.SEVERE)).hasSize(2);
            assertThat(log.stackTraces()).isEmpty();
        }
    }

    @Test
    void aRoleWithoutWatchIsOneClearErrorNamingWatch() {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        api.forbidSliceWatches(true);
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSource();
            await().atMost(WAIT).until(() -> api.forbiddenReads() >= 4);
            assertThat(source.errors()).isGreaterThanOrEqualTo(3);
            assertThat(log.messages(Level.SEVERE)).singleElement().satisfies(line -> assertThat(line)
                    .contains("cannot watch", "forbidden (HTTP 403)", "get, list and watch"));
            assertThat(recoveries(log)).isZero();
            assertThat(log.stackTraces()).isEmpty();
        }
    }

    private static long recoveries(CapturedLog log) {
        return log.messages(Level.INFO).stream().filter(line -> line.contains("works again")).count();
    }

    @Test
    void aWatchClosedByTheServerIsReplacedAndAFreshListReplacesTheRing() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build());
        startSourceAndAwaitWatch();
        assertThat(ring()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");

        // Hold the re-list off (403) so the changes below happen while no watch is open: only a list can see them.
        api.forbidSliceReads(true);
        assertThat(api.closeOpenWatches()).isEqualTo(1);
        await().atMost(WAIT).until(() -> api.forbiddenReads() >= 1);
        api.delete("demo-peers-b");
        api.apply(slice("demo-peers-c", SERVICE, PEER_PORT, endpoint("10.0.0.3", true, false)).build());
        assertThat(ring()).containsExactlyInAnyOrder("10.0.0.1:7100", "10.0.0.2:7100");

        api.forbidSliceReads(false);
        await().atMost(WAIT).until(() -> ring().equals(Set.of("10.0.0.1:7100", "10.0.0.3:7100")));
        await().atMost(WAIT).until(() -> api.watchesOpened() == 2);
        changes.clear();

        // The new watch carries changes again.
        changeAndAwaitRing(() -> api.apply(slice("demo-peers-d", SERVICE, PEER_PORT, endpoint("10.0.0.4", true, false)).build()),
                "10.0.0.1:7100", "10.0.0.3:7100", "10.0.0.4:7100");
    }

    @Test
    void aWatchExpiredWithGoneIsFollowedByAFreshListWithoutTheRingFlapping() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build());
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSourceAndAwaitWatch();
            changes.clear();

            // The API server compacted the watch's resource version away: only a new list is right from here.
            api.forbidSliceReads(true);
            assertThat(api.expireOpenWatches()).isEqualTo(1);
            await().atMost(WAIT).until(() -> api.forbiddenReads() >= 1);
            api.delete("demo-peers-b");
            api.apply(slice("demo-peers-c", SERVICE, PEER_PORT, endpoint("10.0.0.3", true, false)).build());
            api.forbidSliceReads(false);

            await().atMost(WAIT).until(() -> ring().equals(Set.of("10.0.0.1:7100", "10.0.0.3:7100")));
            assertThat(changes).as("one change, straight to the new ring: never empty, never half")
                    .extracting(RingChange::members).containsExactly(Set.of("10.0.0.1:7100", "10.0.0.3:7100"));
            assertThat(source.ready()).isTrue();
            assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line).contains("ended", "too old resource version"));
            assertThat(log.stackTraces()).isEmpty();
        }
    }

    @Test
    void aWatchThatFallsSilentIsReplacedOnceItOutlivesItsTimeout() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        // Nothing this watch will ever say: its connection died without a reset, and nobody pings it.
        api.silenceWatches(true);
        source = new EndpointSliceMembershipSource(nodeClient,
                new SliceQuery(NAMESPACE, SERVICE, Optional.of(SERVICE_ACCOUNT), nodeClient.getMasterUrl().toString()),
                POD_IPS, PEER_PORT, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(1));
        membership = new Membership(source.self(), RingSettings.DEFAULTS.emptyRing());
        membership.onChange((old, next) -> changes.add(new RingChange(System.nanoTime(), Set.copyOf(next.members()))));
        source.start(membership);
        await().atMost(WAIT).until(() -> source.ready() && api.watchesOpened() == 1);
        api.silenceWatches(false);

        changeAndAwaitRing(() -> api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build()),
                "10.0.0.1:7100", "10.0.0.2:7100");
        // The fresh list delivered the ring; the watch replacing the silent one opens right after it.
        await().atMost(WAIT).until(() -> api.watchesOpened() >= 2);
    }

    @Test
    void aWatchRequestTheApiServerNeverAnswersIsGivenUpAndTheSlicesListedAgain() {
        // The API server's host is lost between the list and the watch's handshake: nothing answers the watch, and
        // nothing resets its connection. Giving up on it after the request timeout is the only way to see changes.
        try (UnansweredWatchApiServer silent = new UnansweredWatchApiServer()) {
            silent.list(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
            nodeClient.close();
            nodeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                    .withMasterUrl(silent.url()).withRequestTimeout(500).build()).build();
            startSource();
            await().atMost(WAIT).until(() -> source.ready() && silent.watches() == 1);
            assertThat(ring()).containsExactly("10.0.0.1:7100");

            silent.list(slice("demo-peers-a", SERVICE, PEER_PORT,
                    endpoint("10.0.0.1", true, false), endpoint("10.0.0.2", true, false)).build());
            await().atMost(WAIT).until(() -> ring().equals(Set.of("10.0.0.1:7100", "10.0.0.2:7100")));
            assertThat(source.errors()).isPositive();
        }
    }

    @Test
    void anUnreachableApiServerIsOneClearErrorAndNotReady() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        nodeClient.close();
        nodeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + deadPort).build()).build();
        try (CapturedLog log = CapturedLog.of(EndpointSliceMembershipSource.class)) {
            startSource();
            await().atMost(WAIT).until(() -> source.errors() >= 3);
            assertThat(source.ready()).isFalse();
            assertThat(log.messages(Level.SEVERE)).singleElement().satisfies(line -> assertThat(line)
                    .contains("no answer from the API server", "127.0.0.1:" + deadPort));
            assertThat(log.stackTraces()).isEmpty();
        }
    }

    @Test
    void aFailingRingListenerDoesNotStopDiscovery() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        startSource();
        membership.onChange((old, next) -> {
            throw new IllegalStateException("listener broke");
        });
        await().atMost(WAIT).until(() -> source.ready() && api.openWatches() == 1);

        changeAndAwaitRing(() -> api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build()),
                "10.0.0.1:7100", "10.0.0.2:7100");
        changeAndAwaitRing(() -> api.delete("demo-peers-b"), "10.0.0.1:7100");
    }

    @Test
    void closeStopsTheWatchAndDeliversNothingMore() throws InterruptedException {
        api.apply(slice("demo-peers-a", SERVICE, PEER_PORT, endpoint("10.0.0.1", true, false)).build());
        startSourceAndAwaitWatch();
        source.close();
        changes.clear();

        api.apply(slice("demo-peers-b", SERVICE, PEER_PORT, endpoint("10.0.0.2", true, false)).build());
        await().atMost(WAIT).until(() -> api.openWatches() == 0);
        assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(ring()).containsExactly("10.0.0.1:7100");
    }
}
