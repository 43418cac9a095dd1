package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.core.CacheNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Three nodes on loopback, each with its RESP port: a plain Redis client connected to any node reads and writes
 * every key, whichever node owns it, and needs no cluster support.
 */
class RespClusterTest {

    private List<CacheNode> nodes;
    private final List<Jedis> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        nodes = RespTestNodes.startCluster(3, Map.of());
        for (CacheNode node : nodes) {
            clients.add(new Jedis("127.0.0.1", node.respPort()));
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(Jedis::close);
        nodes.forEach(CacheNode::close);
    }

    /** The index of the node that owns {@code key}. */
    private int ownerOf(String key) {
        String owner = nodes.get(0).membership().ring().owner(key);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).membership().self().equals(owner)) {
                return i;
            }
        }
        throw new IllegalStateException("no node " + owner);
    }

    /** A key owned by node {@code owner}. */
    private String keyOwnedBy(int owner) {
        for (int i = 0; ; i++) {
            String key = "key-" + i;
            if (ownerOf(key) == owner) {
                return key;
            }
        }
    }

    @Test
    void aValueWrittenThroughOneNodeIsReadThroughEveryNode() {
        for (int owner = 0; owner < 3; owner++) {
            String key = keyOwnedBy(owner);
            int writer = (owner + 1) % 3;
            assertThat(clients.get(writer).set(key, "value of " + key)).isEqualTo("OK");
            for (Jedis reader : clients) {
                assertThat(reader.get(key)).isEqualTo("value of " + key);
            }
            assertThat(nodes.get(owner).groups().get("default").local().mainStore().containsKey(key)).isTrue();
            assertThat(nodes.get(writer).groups().get("default").local().mainStore().containsKey(key)).isFalse();
        }
    }

    @Test
    void msetAndMgetSpreadOverTheOwnersAndKeepTheOrder() {
        List<String> keysAndValues = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add("m-" + i);
            keysAndValues.add("m-" + i);
            keysAndValues.add("v-" + i);
        }
        assertThat(clients.get(0).mset(keysAndValues.toArray(String[]::new))).isEqualTo("OK");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("v-" + i);
        }
        for (Jedis reader : clients) {
            assertThat(reader.mget(keys.toArray(String[]::new))).containsExactlyElementsOf(expected);
        }
        long owners = keys.stream().map(this::ownerOf).distinct().count();
        assertThat(owners).as("the keys are spread over the nodes").isEqualTo(3);
    }

    @Test
    void aDeleteThroughAnyNodeRemovesTheKeyEverywhere() {
        String key = keyOwnedBy(2);
        clients.get(0).set(key, "v");
        assertThat(clients.get(1).del(key, key + "-missing")).isEqualTo(1);
        for (Jedis reader : clients) {
            assertThat(reader.get(key)).isNull();
            assertThat(reader.exists(key)).isFalse();
            assertThat(reader.type(key)).isEqualTo("none");
        }
    }

    @Test
    void readModifyWriteCommandsRunOnTheOwnerAndAreRefusedElsewhereUntilForwarded() {
        String key = keyOwnedBy(0);
        assertThat(clients.get(0).incr(key)).isOne();
        assertThat(clients.get(0).append(key, "0")).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.get(1).incr(key))
                .isInstanceOf(redis.clients.jedis.exceptions.JedisDataException.class)
                .hasMessageContaining("not forwarded between nodes yet");
        for (Jedis reader : clients) {
            assertThat(reader.get(key)).isEqualTo("10");
        }
    }

    @Test
    void expiryAndLengthAreTheOwnersWhicheverNodeIsAsked() {
        String key = keyOwnedBy(1);
        clients.get(0).set(key, "hello", SetParams.setParams().ex(100));
        for (Jedis reader : clients) {
            assertThat(reader.ttl(key)).isBetween(99L, 100L);
            assertThat(reader.strlen(key)).isEqualTo(5);
            assertThat(reader.exists(key)).isTrue();
        }
    }
}
