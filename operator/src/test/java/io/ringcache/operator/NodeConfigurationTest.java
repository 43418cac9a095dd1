package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.api.CacheCluster;
import io.ringcache.api.Eviction;
import io.ringcache.api.GroupSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The node configuration rendered from the spec, with the keys of docs/configuration.md. */
class NodeConfigurationTest {

    final CacheCluster cluster = Clusters.named("shop-cache");

    @Test
    void defaultsGiveOneDefaultGroupHoldingAllCacheMemory() {
        assertThat(NodeConfiguration.of(cluster).properties()).isEqualTo("""
            # Rendered by ringcache-operator from CacheCluster shop-cache; edits are overwritten.
            ringcache.peer-port=7100
            ringcache.resp.port=6379
            ringcache.resp.group=default
            ringcache.discovery=kubernetes
            ringcache.discovery.service=shop-cache-peers
            ringcache.shutdown.grace=45s
            ringcache.backups=0
            ringcache.hot-keys.enabled=true
            ringcache.hot-keys.threshold=100
            ringcache.hot-keys.ttl=5s
            ringcache.groups.default.max-bytes=268435456
            ringcache.groups.default.eviction=tinylfu
            """);
    }

    @Test
    void groupsRenderTheirBudgetPolicyTtlAndOrigin() {
        GroupSpec sessions = new GroupSpec("sessions", "64Mi");
        sessions.setEviction(Eviction.LRU2);
        sessions.setTtl("30m");
        GroupSpec products = new GroupSpec("products", "1Gi");
        products.setOrigin("http://catalog.shop.svc:8080/products/{key}");
        cluster.getSpec().getCache().setMemory("2Gi");
        cluster.getSpec().getCache().setBackups(1);
        cluster.getSpec().getCache().getHotKeys().setEnabled(false);
        cluster.getSpec().getCache().setGroups(List.of(sessions, products));

        assertThat(NodeConfiguration.of(cluster).properties())
            .contains("ringcache.backups=1\n")
            .contains("ringcache.hot-keys.enabled=false\n")
            .contains("ringcache.resp.group=sessions\n")
            .contains("""
                ringcache.groups.sessions.max-bytes=67108864
                ringcache.groups.sessions.eviction=lru2
                ringcache.groups.sessions.ttl=30m
                ringcache.groups.products.max-bytes=1073741824
                ringcache.groups.products.eviction=tinylfu
                ringcache.groups.products.origin=http://catalog.shop.svc:8080/products/{key}
                """)
            .doesNotContain("ringcache.groups.default.");
    }

    @Test
    void redisServesTheDefaultGroupWheneverThereIsOne() {
        cluster.getSpec().getCache().setGroups(List.of(new GroupSpec("sessions", "64Mi"), new GroupSpec("default", "64Mi")));
        assertThat(NodeConfiguration.of(cluster).properties()).contains("ringcache.resp.group=default\n");
    }

    /** The node leaves the ring and hands off within its shutdown grace; the kubelet kills it after the pod's. */
    @Test
    void shutdownGraceFitsInThePodsGracePeriodAfterThePreStopPause() {
        for (String memory : List.of("256Mi", "8Gi")) {
            cluster.getSpec().getCache().setMemory(memory);
            assertThat(ShutdownGrace.nodeSeconds(cluster.getSpec().getCache())).as(memory).isPositive()
                .isLessThan(ShutdownGrace.podSeconds(cluster.getSpec().getCache())
                    - NodeDeploymentDependent.PRE_STOP_SLEEP_SECONDS);
        }
    }

    /**
     * A stopping node sends its entries to their new owners at no more than its hand-off rate (64 MiB/s); what it
     * still holds when its grace ends is lost. 8 GiB take 128 s at that rate, far beyond the default 45 s.
     */
    @Test
    void shutdownGraceGrowsWithTheMemoryToHandOff() {
        cluster.getSpec().getCache().setMemory("1Gi");
        assertThat(NodeConfiguration.of(cluster).properties()).as("16 s at full rate").contains(
            "ringcache.shutdown.grace=45s\n");
        cluster.getSpec().getCache().setMemory("8Gi");
        assertThat(NodeConfiguration.of(cluster).properties()).as("twice the 128 s at full rate").contains(
            "ringcache.shutdown.grace=256s\n");
    }

    /**
     * The operator-node contract: every key the operator renders is a node setting documented in
     * docs/configuration.md (the node's own test keeps that document equal to the keys the node reads).
     */
    @Test
    void everyRenderedKeyIsADocumentedNodeSetting() throws IOException {
        Path doc = Path.of(System.getProperty("ringcache.repo.dir", "..")).resolve("docs").resolve("configuration.md");
        Pattern row = Pattern.compile("^\\|\\s*`(ringcache\\.[^`]+)`\\s*\\|");
        Set<String> documented = new HashSet<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        GroupSpec sessions = new GroupSpec("sessions", "64Mi");
        sessions.setTtl("30m");
        sessions.setOrigin("http://catalog.shop.svc:8080/products/{key}");
        cluster.getSpec().getCache().setGroups(List.of(sessions));
        List<String> rendered = NodeConfiguration.of(cluster).properties().lines()
            .filter(line -> !line.startsWith("#"))
            .map(line -> line.substring(0, line.indexOf('=')))
            .map(key -> key.replaceFirst("^ringcache\\.groups\\.[^.]+\\.", "ringcache.groups.<name>."))
            .toList();
        assertThat(rendered).hasSizeGreaterThan(10);
        assertThat(documented).containsAll(rendered);
    }

    @Test
    void decimalQuantitiesBecomeExactBytes() {
        assertThat(NodeConfiguration.bytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(NodeConfiguration.bytes("512Mi")).isEqualTo(536_870_912L);
    }

    @Test
    void equalSpecsHashEqually() {
        assertThat(NodeConfiguration.of(cluster).hash())
            .isEqualTo(NodeConfiguration.of(Clusters.named("shop-cache")).hash())
            .hasSize(64);
    }
}
