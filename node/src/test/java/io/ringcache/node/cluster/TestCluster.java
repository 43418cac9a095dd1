package io.ringcache.node.cluster;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.core.LoopbackSettings;
import io.ringcache.node.group.Group;
import io.ringcache.node.store.TimeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several nodes in this JVM on 127.0.0.1, each with its own peer port, joined into one ring as static
 * members. Nodes are configured with the same properties a real node reads.
 */
final class TestCluster implements AutoCloseable {

    private final Map<String, String> properties;
    /** The nodes' wall clock, for TTLs and write versions. */
    private final TimeSource time;
    private final List<CacheNode> nodes = new ArrayList<>();
    private final List<Boolean> running = new ArrayList<>();

    private TestCluster(Map<String, String> properties, TimeSource time) {
        this.properties = properties;
        this.time = time;
    }

    /** Starts {@code size} nodes configured with {@code properties} (plus loopback, free ports, no RESP) and joins them. */
    static TestCluster start(int size, Map<String, String> properties) {
        return start(size, properties, TimeSource.SYSTEM);
    }

    /** As {@link #start(int, Map)}, every node reading the wall clock from {@code time}. */
    static TestCluster start(int size, Map<String, String> properties, TimeSource time) {
        TestCluster cluster = new TestCluster(properties, time);
        for (int i = 0; i < size; i++) {
            cluster.nodes.add(cluster.startNode(cluster.settings()));
            cluster.running.add(true);
        }
        cluster.joinAll();
        return cluster;
    }

    /** Starts one more node and gives every running node the new ring. Returns its index. */
    int addNode() {
        nodes.add(startNode(settings()));
        running.add(true);
        joinAll();
        return nodes.size() - 1;
    }

    /**
     * Starts one more node whose peer endpoint is {@code peerPort}, without changing any ring: {@link #joinAll}
     * does that. Returns its index.
     */
    int startOnPeerPort(int peerPort) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("ringcache.peer-port", Integer.toString(peerPort));
        nodes.add(startNode(settings(p)));
        running.add(true);
        return nodes.size() - 1;
    }

    /**
     * Starts one more node reached through {@code link} (its member id is the link's address), without changing
     * any ring: {@link #joinAll} does that. Returns its index.
     */
    int startBehind(CuttableLink link) {
        return startBehind(link, Map.of());
    }

    /** As {@link #startBehind(CuttableLink)}, with {@code overrides} over the cluster's properties. */
    int startBehind(CuttableLink link, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(properties);
        p.putAll(overrides);
        p.put("ringcache.self", "127.0.0.1:" + link.port());
        CacheNode node = startNode(settings(p));
        link.relayTo(node.peerPort());
        nodes.add(node);
        running.add(true);
        return nodes.size() - 1;
    }

    /** Stops node {@code i} at once, as a crash would: its peers are not told, its entries are gone. */
    void kill(int i) {
        nodes.get(i).close();
        running.set(i, false);
    }

    /**
     * Stops node {@code i} as Kubernetes would: the other nodes' rings drop it at the same time as it leaves
     * and hands its entries off; returns whether the hand-off finished within the grace period.
     */
    boolean stopGracefully(int i) {
        running.set(i, false);
        nodes.get(i).membership().leave();
        joinAll();
        return nodes.get(i).stopGracefully();
    }

    /** Waits until every running node finished handing entries off after the ring changes so far. */
    void awaitHandoffs() {
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i) && !nodes.get(i).awaitHandoff(java.time.Duration.ofSeconds(30))) {
                throw new IllegalStateException("node " + i + " did not finish its hand-off within 30 s");
            }
        }
    }

    /** Makes every running node's ring the running nodes. */
    void joinAll() {
        List<String> members = runningMembers();
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i)) {
                nodes.get(i).membership().update(members);
            }
        }
    }

    List<String> runningMembers() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i)) {
                members.add(nodes.get(i).membership().self());
            }
        }
        return members;
    }

    /** The entries of {@code group} the running nodes hold, each counted where it is held. */
    long entriesHeld(String group) {
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i)) {
                total += group(i, group).local().mainStore().stats().entries();
            }
        }
        return total;
    }

    CacheNode node(int i) {
        return nodes.get(i);
    }

    int size() {
        return nodes.size();
    }

    Group group(int node, String group) {
        return nodes.get(node).groups().get(group);
    }

    /** The index of the node that owns {@code key} in node 0's ring. */
    int ownerOf(String key) {
        return indexOf(nodes.get(firstRunning()).membership().ring().owner(key));
    }

    /** The index of the node whose member id is {@code member}. */
    int indexOf(String member) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).membership().self().equals(member)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node " + member);
    }

    /** A key that node {@code owner} owns, chosen among {@code prefix0, prefix1, ...}. */
    String keyOwnedBy(int owner, String prefix) {
        for (int i = 0; i < 100_000; i++) {
            String key = prefix + i;
            if (ownerOf(key) == owner) {
                return key;
            }
        }
        throw new IllegalStateException("no key with prefix " + prefix + " for node " + owner);
    }

    /** Any running node other than {@code not}. */
    int otherThan(int... not) {
        outer:
        for (int i = 0; i < nodes.size(); i++) {
            if (!running.get(i)) {
                continue;
            }
            for (int n : not) {
                if (n == i) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no other running node");
    }

    private int firstRunning() {
        return running.indexOf(true);
    }

    private CacheNode startNode(NodeSettings settings) {
        return CacheNode.start(settings, time, () -> new KubernetesClientBuilder().build());
    }

    /** The cluster's properties over loopback; RESP off, as these tests speak to the nodes' groups directly. */
    private NodeSettings settings() {
        return settings(properties);
    }

    private static NodeSettings settings(Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(properties);
        p.putIfAbsent("ringcache.resp.enabled", "false");
        return LoopbackSettings.of(p);
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.size(); i++) {
            if (running.get(i)) {
                nodes.get(i).close();
                running.set(i, false);
            }
        }
    }
}
