package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.core.CacheNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
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
    void readModifyWriteCommandsThroughAnyNodeRunOnTheOwner() {
        String key = keyOwnedBy(0);
        assertThat(clients.get(1).incr(key)).isEqualTo(1);
        assertThat(clients.get(2).incrBy(key, 41)).isEqualTo(42);
        assertThat(clients.get(1).decr(key)).isEqualTo(41);
        assertThat(clients.get(2).decrBy(key, 1)).isEqualTo(40);
        assertThat(clients.get(1).append(key, "0")).isEqualTo(3);
        assertThat(clients.get(0).get(key)).isEqualTo("400");
        assertThat(nodes.get(1).groups().get("default").local().mainStore().containsKey(key)).isFalse();

        assertThatThrownBy(() -> clients.get(2).incrBy(key, Long.MAX_VALUE))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR increment or decrement would overflow");
        clients.get(1).set(key, "text");
        assertThatThrownBy(() -> clients.get(2).incr(key))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR value is not an integer or out of range");

        String other = keyOwnedBy(2);
        assertThat(clients.get(0).setnx(other, "first")).isEqualTo(1);
        assertThat(clients.get(1).setnx(other, "second")).isZero();
        assertThat(clients.get(0).set(other, "third", SetParams.setParams().xx().ex(100))).isEqualTo("OK");
        assertThat(clients.get(1).setGet(other, "fourth", SetParams.setParams().keepTtl())).isEqualTo("third");
        assertThat(clients.get(0).ttl(other)).isBetween(99L, 100L);
        assertThat(clients.get(1).persist(other)).isEqualTo(1);
        assertThat(clients.get(0).ttl(other)).isEqualTo(-1);
        assertThat(clients.get(1).expire(other, 50)).isEqualTo(1);
        assertThat(clients.get(0).getEx(other, GetExParams.getExParams().persist())).isEqualTo("fourth");
        assertThat(clients.get(1).ttl(other)).isEqualTo(-1);
        assertThat(clients.get(1).getDel(other)).isEqualTo("fourth");
        for (Jedis reader : clients) {
            assertThat(reader.exists(other)).isFalse();
        }
    }

    @Test
    void aPipelineThroughANodeThatDoesNotOwnItsKeysSeesEachOfItsWritesInOrder() {
        // Several rounds, each on fresh keys: the first round's calls wait for the peer connections to be made.
        for (int round = 0; round < 3; round++) {
            List<Response<String>> reads = new ArrayList<>();
            List<Response<Long>> counts = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            Pipeline pipeline = clients.get(0).pipelined();
            for (int i = 0; i < 300; i++) {
                String key = "r" + round + "-" + i;
                keys.add(key);
                pipeline.set(key, "first");
                pipeline.set(key, "second");
                reads.add(pipeline.get(key));
                pipeline.set(key + "-n", "0");
                pipeline.incr(key + "-n");
                counts.add(pipeline.incr(key + "-n"));
                pipeline.set(key + "-n", "10");
                counts.add(pipeline.incr(key + "-n"));
            }
            pipeline.sync();
            assertThat(keys.stream().map(this::ownerOf).distinct().count()).as("keys of every node").isEqualTo(3);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(reads.get(i).get()).as("GET %s after its SETs", keys.get(i)).isEqualTo("second");
                assertThat(counts.get(2 * i).get()).as("the second INCR of %s-n", keys.get(i)).isEqualTo(2);
                assertThat(counts.get(2 * i + 1).get()).as("the INCR of %s-n after its SET", keys.get(i)).isEqualTo(11);
            }
        }
    }

    @Test
    void aPipelinedReadAfterAWriteOfAHotKeyDoesNotFindTheHotCopyOfTheOldValue() {
        String key = keyOwnedBy(1);
        Jedis client = clients.get(0);
        client.set(key, "old");
        // Read often enough through node 0 for its owner to hand out a copy of the key.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 50; i++) {
                client.get(key);
            }
            return nodes.get(0).groups().get("default").routingStats().hotCopiesHeld() > 0;
        });
        for (int i = 0; i < 20; i++) {
            Pipeline pipeline = client.pipelined();
            pipeline.set(key, "new-" + i);
            Response<String> read = pipeline.get(key);
            pipeline.sync();
            assertThat(read.get()).as("round %d", i).isEqualTo("new-" + i);
        }
    }

    @Test
    void concurrentIncrementsThroughEveryNodeAddUpExactly() throws Exception {
        String key = keyOwnedBy(1);
        int perClient = 300;
        List<Thread> threads = new ArrayList<>();
        for (CacheNode node : nodes) {
            threads.add(new Thread(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", node.respPort())) {
                    for (int i = 0; i < perClient; i++) {
                        jedis.incr(key);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(clients.get(0).get(key)).isEqualTo(String.valueOf(3 * perClient));
    }

    @Test
    void dbsizeCountsTheWholeClusterAndFlushallEmptiesEveryNode() {
        for (int i = 0; i < 60; i++) {
            clients.get(i % 3).set("k-" + i, "v");
        }
        for (Jedis client : clients) {
            assertThat(client.dbSize()).isEqualTo(60);
        }
        assertThat(clients.get(1).flushAll()).isEqualTo("OK");
        assertEveryNodeIsEmpty();
    }

    @Test
    void flushdbThroughOneNodeEmptiesEveryNode() {
        for (int i = 0; i < 30; i++) {
            clients.get(i % 3).set("k-" + i, "v");
        }
        assertThat(clients.get(2).flushDB()).isEqualTo("OK");
        assertEveryNodeIsEmpty();
    }

    @Test
    void binaryValuesCrossThePeerProtocolByteForByte() {
        byte[] key = keyOwnedBy(0).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        assertThat(clients.get(1).set(key, value)).isEqualTo("OK");
        assertThat(clients.get(2).get(key)).isEqualTo(value);
        byte[] tail = {0, '\r', '\n', (byte) 0xff};
        assertThat(clients.get(2).append(key, tail)).isEqualTo(260);
        assertThat(clients.get(1).strlen(key)).isEqualTo(260);
        byte[] appended = Arrays.copyOf(value, 260);
        System.arraycopy(tail, 0, appended, 256, tail.length);
        assertThat(clients.get(0).get(key)).isEqualTo(appended);
        assertThat(clients.get(1).getDel(key)).isEqualTo(appended);
        assertThat(clients.get(2).exists(key)).isFalse();
    }

    @Test
    void missingKeysAnswerAsInRedisThroughANodeThatDoesNotOwnThem() {
        String key = keyOwnedBy(2);
        Jedis client = clients.get(0);
        assertThat(client.get(key)).isNull();
        assertThat(client.getDel(key)).isNull();
        assertThat(client.getEx(key, GetExParams.getExParams().ex(10))).isNull();
        assertThat(client.sendCommand(Protocol.Command.GETEX, key, "EX", "0")).isNull();
        assertThat(client.strlen(key)).isZero();
        assertThat(client.ttl(key)).isEqualTo(-2);
        assertThat(client.pttl(key)).isEqualTo(-2);
        assertThat(client.persist(key)).isZero();
        assertThat(client.expire(key, 10)).isZero();
        assertThat(client.type(key)).isEqualTo("none");
        assertThat(client.exists(key, key)).isZero();
        assertThat(client.del(key)).isZero();
        assertThat(client.unlink(key)).isZero();
        assertThat(client.mget(key, key)).containsExactly(null, null);
        assertThat(client.set(key, "v", SetParams.setParams().xx())).isNull();
        assertThat(client.setGet(key, "v", SetParams.setParams().xx())).isNull();
        assertThat(nodes.get(2).groups().get("default").local().mainStore().containsKey(key)).isFalse();
        assertThat(client.decr(key)).isEqualTo(-1);
        assertThat(clients.get(1).get(key)).isEqualTo("-1");
    }

    @Test
    void expiryCommandsThroughANodeThatDoesNotOwnTheKeySetTheOwnersTtl() {
        String key = keyOwnedBy(1);
        Jedis writer = clients.get(0);
        Jedis reader = clients.get(2);
        assertThat(writer.setex(key, 100, "v")).isEqualTo("OK");
        assertThat(reader.ttl(key)).isBetween(99L, 100L);
        assertThat(writer.psetex(key, 50_000, "v")).isEqualTo("OK");
        assertThat(reader.pttl(key)).isBetween(49_000L, 50_000L);
        assertThat(writer.expire(key, 200, ExpiryOption.NX)).isZero();
        assertThat(writer.expire(key, 200, ExpiryOption.GT)).isOne();
        assertThat(writer.expire(key, 300, ExpiryOption.LT)).isZero();
        assertThat(writer.pexpire(key, 20_000, ExpiryOption.XX)).isOne();
        assertThat(reader.pttl(key)).isBetween(19_000L, 20_000L);
        assertThat(writer.persist(key)).isOne();
        assertThat(writer.expire(key, 10, ExpiryOption.XX)).isZero();
        assertThat(reader.ttl(key)).isEqualTo(-1);
        assertThat(writer.set(key, "v", SetParams.setParams().px(200))).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Jedis client : clients) {
                assertThat(client.get(key)).isNull();
            }
        });
        assertThat(reader.ttl(key)).isEqualTo(-2);
        assertThat(writer.set(key, "v", SetParams.setParams().exAt(1))).isEqualTo("OK");
        assertThat(reader.exists(key)).isFalse();
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

    @Test
    void anIncrWhoseOwnerTookItAndDidNotAnswerIsAnErrorSayingItMayHaveBeenApplied() throws Exception {
        // A member whose connections the kernel accepts, but that never answers: a paused owner.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Jedis patient = new Jedis("127.0.0.1", nodes.get(0).respPort(), 10_000)) {
            String silentMember = "127.0.0.1:" + silent.getLocalPort();
            List<String> members = new ArrayList<>(nodes.stream().map(n -> n.membership().self()).toList());
            members.add(silentMember);
            nodes.get(0).membership().update(members);
            String key = null;
            for (int i = 0; key == null; i++) {
                if (nodes.get(0).membership().ring().owner("visits-" + i).equals(silentMember)) {
                    key = "visits-" + i;
                }
            }
            String paused = key;

            assertThatThrownBy(() -> patient.incr(paused)).isInstanceOf(JedisDataException.class)
                    .message().startsWith("ERR peer " + silentMember + " ")
                    .endsWith("; the write may or may not have been applied");
            for (CacheNode node : nodes) {
                assertThat(node.groups().get("default").local().mainStore().containsKey(paused))
                        .as("not applied in the owner's place").isFalse();
            }
        }
    }

    /** Every node reports an empty keyspace over RESP and holds no entry in its store. */
    private void assertEveryNodeIsEmpty() {
        for (int i = 0; i < 3; i++) {
            assertThat(clients.get(i).dbSize()).isZero();
            assertThat(nodes.get(i).groups().get("default").local().mainStore().stats().entries()).isZero();
        }
    }
}
