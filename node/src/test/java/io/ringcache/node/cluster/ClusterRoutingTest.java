package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.WriteOutcomeUnknownException;
import io.ringcache.node.peer.PeerUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes on loopback: any node answers any key; only the owner loads; disagreement never loops. */
class ClusterRoutingTest {

    private TestOrigin origin;
    private TestCluster cluster;

    private TestCluster start(int size, long slowMillis) {
        origin = new TestOrigin(slowMillis);
        cluster = TestCluster.start(size, Map.of(
                "ringcache.groups.items.origin", origin.template(),
                "ringcache.groups.items.load-timeout", "5s",
                "ringcache.groups.plain.max-bytes", "4M"));
        return cluster;
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static String read(Group group, String key) throws Exception {
        return group.get(key).get(10, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    @Test
    void getThroughNonOwnerReturnsTheOwnersValueAndOnlyTheOwnerLoads() throws Exception {
        start(3, 0);
        String key = cluster.keyOwnedBy(1, "item-");
        int requester = cluster.otherThan(1);

        assertThat(read(cluster.group(requester, "items"), key)).isEqualTo("origin:" + key);

        assertThat(origin.requestsFor(key)).isEqualTo(1);
        assertThat(cluster.group(1, "items").stats().loads()).isEqualTo(1);
        assertThat(cluster.group(requester, "items").stats().loads()).isZero();
        assertThat(cluster.group(1, "items").local().mainStore().containsKey(key)).isTrue();
        assertThat(cluster.group(requester, "items").local().mainStore().containsKey(key)).isFalse();
        assertThat(cluster.group(requester, "items").routingStats().forwarded()).isEqualTo(1);
    }

    @Test
    void coldKeyIsLoadedOnceAcrossTheCluster() throws Exception {
        start(3, 300);
        String key = "slow-cold";
        List<CompletableFuture<Optional<byte[]>>> gets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            gets.add(cluster.group(i % 3, "items").get(key));
        }
        for (CompletableFuture<Optional<byte[]>> get : gets) {
            assertThat(get.get(10, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8)).contains("origin:" + key);
        }
        assertThat(origin.requestsFor(key)).isEqualTo(1);
        long loads = 0;
        for (int i = 0; i < 3; i++) {
            loads += cluster.group(i, "items").stats().loads();
        }
        assertThat(loads).isEqualTo(1);
    }

    @Test
    void notFoundFromTheOwnerIsFinalAndNobodyLoadsAgain() throws Exception {
        start(3, 0);
        String key = cluster.keyOwnedBy(2, "missing-");
        int requester = cluster.otherThan(2);

        assertThat(cluster.group(requester, "items").get(key).get(10, TimeUnit.SECONDS)).isEmpty();

        assertThat(origin.requestsFor(key)).isEqualTo(1);
        assertThat(cluster.group(requester, "items").stats().loads()).isZero();
    }

    @Test
    void keysReachTheOwnersLoaderByteForByte() throws Exception {
        start(3, 0);
        List<String> keys = List.of("with space", "plus+sign", "slash/inside", "per%cent", "日本語のキー", "emoji😀",
                "a%2Fb?c=d&e#f");
        for (String key : keys) {
            for (int node = 0; node < 3; node++) {
                assertThat(read(cluster.group(node, "items"), key)).isEqualTo("origin:" + key);
            }
        }
        assertThat(origin.requestedKeys()).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void writesAndDeletesThroughAnyNodeLandOnTheOwner() throws Exception {
        start(3, 0);
        String key = cluster.keyOwnedBy(0, "plain-");
        int writer = cluster.otherThan(0);
        int reader = cluster.otherThan(0, writer);

        cluster.group(writer, "plain").put(key, "v1".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(cluster.group(0, "plain").local().mainStore().containsKey(key)).isTrue();
        assertThat(cluster.group(writer, "plain").local().mainStore().containsKey(key)).isFalse();
        assertThat(read(cluster.group(reader, "plain"), key)).isEqualTo("v1");

        assertThat(cluster.group(reader, "plain").delete(key).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cluster.group(reader, "plain").delete(key).get(5, TimeUnit.SECONDS)).isFalse();
        for (int node = 0; node < 3; node++) {
            assertThat(read(cluster.group(node, "plain"), key)).isNull();
        }
    }

    @Test
    void valueTooLargeForTheOwnersBudgetIsReportedToTheWriter() {
        origin = new TestOrigin(0);
        cluster = TestCluster.start(2, Map.of("ringcache.groups.tiny.max-bytes", "1K"));
        String key = cluster.keyOwnedBy(1, "big-");
        assertThatThrownBy(() -> cluster.group(0, "tiny").put(key, new byte[2048], Optional.empty()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(io.ringcache.node.group.ValueTooLargeException.class);
    }

    @Test
    void unreachableOwnerSendsTheRequestToTheNextMember() throws Exception {
        start(3, 0);
        String key = cluster.keyOwnedBy(1, "item-");
        cluster.kill(1);
        int requester = cluster.otherThan(1);

        assertThat(read(cluster.group(requester, "items"), key)).isEqualTo("origin:" + key);
        assertThat(origin.requestsFor(key)).isEqualTo(1);
        assertThat(cluster.group(requester, "items").routingStats().ownersUnreachable()).isGreaterThanOrEqualTo(1);

        // A plain group's write goes to the next member too, and reads find it there.
        String plainKey = cluster.keyOwnedBy(1, "plain-");
        cluster.group(requester, "plain").put(plainKey, "kept".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        for (int node : new int[] {0, 2}) {
            assertThat(read(cluster.group(node, "plain"), plainKey)).isEqualTo("kept");
        }
    }

    @Test
    void ownerThatDoesNotAnswerWithinTheCallTimeoutSendsReadsToTheNextMemberAndFailsWritesUnapplied() throws Exception {
        start(2, 0);
        // A member whose connections the kernel accepts, but that never answers a request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String silentMember = "127.0.0.1:" + silent.getLocalPort();
            String next = cluster.node(1).membership().self();
            List<String> members = List.of(cluster.node(0).membership().self(), next, silentMember);
            cluster.node(0).membership().update(members);
            cluster.node(1).membership().update(members);
            String key = firstKeyHeldBy(List.of(silentMember, next));
            Group plain = cluster.group(0, "plain");
            // The next member holds the key, as a backup or a stand-in would.
            cluster.group(1, "plain").local().put(key, "kept".getBytes(UTF_8), Optional.empty());

            long started = System.nanoTime();
            // This read once came back empty in CI, most likely because a hand-off pass of node 1 planned a later ring
            // under an earlier change's number and the next pass dropped the value (fixed; HandoffPassNumberingTest).
            // Should it again, the description says where the value was and what the hand-off did.
            assertThat(read(plain, key)).as(() -> "read after " + (System.nanoTime() - started) / 1_000_000 + " ms; "
                            + plain.routingStats() + "; next member holds " + cluster.group(1, "plain").local().mainStore()
                            .peekIncludingExpired(key) + ", its hand-off " + cluster.node(1).handoffStats())
                    .isEqualTo("kept");
            // One call timeout (1 s in these tests): a plain group's owner never loads, so the load timeout (5 s) is
            // not waited for.
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(3));
            assertThat(plain.routingStats().ownersUnreachable()).isEqualTo(1);

            // The silent member was sent the write and may apply it yet: applied on the next member too, it could
            // land after a later write of the key there and undo it.
            assertThatThrownBy(() -> plain.put(key, "new".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WriteOutcomeUnknownException.class)
                    .hasMessageStartingWith("peer " + silentMember + " ")
                    .hasMessageEndingWith("; the write may or may not have been applied");
            assertThatThrownBy(() -> plain.delete(key).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(WriteOutcomeUnknownException.class);
            assertThat(new String(cluster.group(1, "plain").local().mainStore().peek(key).value(), UTF_8))
                    .as("not written on the next member").isEqualTo("kept");
            assertThat(cluster.group(1, "plain").holdsHintFor(key)).isFalse();
            assertThat(plain.routingStats().writesOutcomeUnknown()).isEqualTo(2);
        }
    }

    @Test
    void anOwnerThatAnswersThatItIsLeavingSendsReadsAndWritesToTheKeysNextMember() throws Exception {
        start(3, 0);
        String key = cluster.keyOwnedBy(2, "plain-");
        String next = cluster.node(0).membership().ring().owners(key, 2).get(1);
        // Node 2 is on its way out; the others have not heard yet, so they still send it the key's requests.
        cluster.node(2).membership().leave();
        Group plain = cluster.group(0, "plain");

        plain.put(key, "v".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(cluster.group(cluster.indexOf(next), "plain").local().mainStore().containsKey(key))
                .as("applied by the next member: the leaving owner did not apply it").isTrue();
        assertThat(cluster.group(2, "plain").local().mainStore().containsKey(key)).isFalse();
        assertThat(read(plain, key)).isEqualTo("v");
        assertThat(plain.routingStats().ownersUnreachable()).isEqualTo(2);
        assertThat(plain.routingStats().writesOutcomeUnknown()).isZero();
    }

    @Test
    void aMemberThatLeftTheRingLeavesNoConnectionsBehind() throws Exception {
        start(3, 0);
        for (int owner : new int[] {1, 2}) {
            cluster.group(0, "plain").put(cluster.keyOwnedBy(owner, "plain-"), "v".getBytes(UTF_8), Optional.empty())
                    .get(5, TimeUnit.SECONDS);
        }
        String gone = cluster.node(2).membership().self();
        assertThat(cluster.node(0).peerClient().pooledPeers()).contains(cluster.node(1).membership().self(), gone);

        cluster.kill(2);
        cluster.joinAll();
        assertThat(cluster.node(0).peerClient().pooledPeers()).doesNotContain(gone)
                .contains(cluster.node(1).membership().self());
    }

    /** A key whose owner and next member in node 0's ring are {@code owners}. */
    private String firstKeyHeldBy(List<String> owners) {
        for (int i = 0; i < 100_000; i++) {
            if (cluster.node(0).membership().ring().owners("k-" + i, 2).equals(owners)) {
                return "k-" + i;
            }
        }
        throw new IllegalStateException("no key held by " + owners);
    }

    @Test
    void nodesThatDisagreeAboutTheRingNeverForwardInCircles() throws Exception {
        start(2, 0);
        String a = cluster.node(0).membership().self();
        String b = cluster.node(1).membership().self();
        // Each node believes the other one is the whole ring: both forward every key to the other.
        cluster.node(0).membership().update(List.of(b));
        cluster.node(1).membership().update(List.of(a));

        assertThat(read(cluster.group(0, "items"), "contested")).isEqualTo("origin:contested");
        assertThat(read(cluster.group(1, "items"), "contested-2")).isEqualTo("origin:contested-2");
        cluster.group(0, "plain").put("k", "v".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(cluster.group(1, "plain").local().mainStore().containsKey("k")).isTrue();
        assertThat(cluster.group(0, "plain").local().mainStore().containsKey("k")).isFalse();
        // Node 1 forwards to node 0, which serves it without forwarding back: an answer, not a loop.
        assertThat(cluster.group(1, "plain").get("k")).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void getBeforePeersAreReachableFailsCleanlyWithinItsDeadlineAndTheNextOneIsNotStuck() throws Exception {
        start(1, 0);
        // Members that nobody listens on: every call is refused.
        String self = cluster.node(0).membership().self();
        cluster.node(0).membership().update(List.of(self, "127.0.0.1:1", "127.0.0.1:2"));
        Group plain = cluster.group(0, "plain");
        String key = firstKeyNotOwnedBy(self, cluster);

        long started = System.nanoTime();
        assertThatThrownBy(() -> plain.get(key).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(PeerUnavailableException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);

        // A read-through group loads on this node as the last resort, and does not keep the value.
        assertThat(read(cluster.group(0, "items"), key)).isEqualTo("origin:" + key);
        assertThat(cluster.group(0, "items").local().mainStore().containsKey(key)).isFalse();
        assertThat(cluster.group(0, "items").routingStats().lastResortLoads()).isEqualTo(1);

        // Once the peers are gone from the ring, the same key is served here at once.
        cluster.node(0).membership().update(List.of(self));
        plain.put(key, "now".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        assertThat(read(plain, key)).isEqualTo("now");
    }

    @Test
    void getSentBeforeTheKeysNodesAreUpFailsCleanlyAndOnceTheyAreUpTheNextGetIsServed() throws Exception {
        start(1, 0);
        int[] ports = freePorts(2);
        String owner = "127.0.0.1:" + ports[0];
        String next = "127.0.0.1:" + ports[1];
        cluster.node(0).membership().update(List.of(cluster.node(0).membership().self(), owner, next));
        String key = firstKeyHeldBy(List.of(owner, next));
        Group plain = cluster.group(0, "plain");

        // Nobody listens yet: each GET fails within its deadline, the second one not held up by the first.
        for (int attempt = 0; attempt < 2; attempt++) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> plain.get(key).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(PeerUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }

        int ownerNode = cluster.startOnPeerPort(ports[0]);
        cluster.startOnPeerPort(ports[1]);
        cluster.joinAll();
        assertThat(cluster.node(ownerNode).membership().self()).isEqualTo(owner);
        cluster.group(ownerNode, "plain").put(key, "up".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);

        // Until the reconnect backoff (at most 5 s) has passed, GETs still fail fast; then the same node reaches
        // the owner again.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsMatching(e -> e instanceof ExecutionException
                        && e.getCause() instanceof PeerUnavailableException)
                .until(() -> "up".equals(read(plain, key)));
    }

    /** Ports nobody listens on now, on 127.0.0.1. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    private static String firstKeyNotOwnedBy(String self, TestCluster cluster) {
        for (int i = 0; ; i++) {
            String key = "far-" + i;
            List<String> owners = cluster.node(0).membership().ring().owners(key, 2);
            if (!owners.contains(self)) {
                return key;
            }
        }
    }
}
