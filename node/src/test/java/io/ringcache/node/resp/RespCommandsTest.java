package io.ringcache.node.resp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.core.CacheNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/** Every command against one node through Jedis, with Redis's replies and errors. The node's clock is the test's. */
class RespCommandsTest {

    private static final long START_MILLIS = 1_800_000_000_000L;
    private static final int MAX_VALUE_BYTES = 4096;

    private final AtomicLong now = new AtomicLong(START_MILLIS);
    private CacheNode node;
    private Jedis jedis;

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of("ringcache.max-key-bytes", "256",
                "ringcache.max-value-bytes", Integer.toString(MAX_VALUE_BYTES)), now::get);
        jedis = connect();
    }

    @AfterEach
    void stop() {
        jedis.close();
        node.close();
    }

    private Jedis connect() {
        return new Jedis("127.0.0.1", node.respPort());
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(seconds * 1000);
    }

    @Test
    void setThenGetReturnsTheValueAndAMissingKeyIsNull() {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
    }

    @Test
    void binaryValuesRoundTripByteForByte() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        jedis.set("bin".getBytes(UTF_8), value);
        assertThat(jedis.get("bin".getBytes(UTF_8))).isEqualTo(value);
        assertThat(jedis.strlen("bin")).isEqualTo(256);
        assertThat(jedis.append("bin".getBytes(UTF_8), new byte[] {0, '\r', '\n'})).isEqualTo(259);
    }

    @Test
    void utf8KeysAreKeysButOtherBytesAreRefused() {
        jedis.set("clé 🔑", "v");
        assertThat(jedis.get("clé 🔑")).isEqualTo("v");
        assertThatThrownBy(() -> jedis.set(new byte[] {(byte) 0xff, (byte) 0xfe}, "v".getBytes(UTF_8)))
                .isInstanceOf(JedisDataException.class)
                .hasMessageContaining("ringcache keys are UTF-8 strings");
    }

    @Test
    void anEmptyOrOverlongKeyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> jedis.set("", "v")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR invalid key: the key is empty; use at least one character");
        assertThatThrownBy(() -> jedis.get("k".repeat(257))).isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("ERR invalid key: the key is 257 bytes");
    }

    @Test
    void setNxAndXxApplyOnlyToAMissingOrAPresentKey() {
        assertThat(jedis.set("k", "a", SetParams.setParams().xx())).isNull();
        assertThat(jedis.set("k", "a", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(jedis.set("k", "b", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "c", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("c");
        assertThat(jedis.setnx("k", "d")).isZero();
        assertThat(jedis.setnx("other", "d")).isOne();
    }

    @Test
    void setGetReturnsTheOldValueWhetherOrNotItApplies() {
        assertThat(jedis.setGet("k", "a")).isNull();
        assertThat(jedis.setGet("k", "b")).isEqualTo("a");
        assertThat(jedis.setGet("k", "c", SetParams.setParams().nx())).isEqualTo("b");
        assertThat(jedis.get("k")).isEqualTo("b");
    }

    @Test
    void setWithExpiryOptionsSetsTheTtlAndKeepTtlKeepsIt() {
        jedis.set("ex", "v", SetParams.setParams().ex(100));
        assertThat(jedis.ttl("ex")).isEqualTo(100);
        jedis.set("px", "v", SetParams.setParams().px(1500));
        assertThat(jedis.pttl("px")).isEqualTo(1500);
        assertThat(jedis.ttl("px")).isEqualTo(2);
        jedis.set("exat", "v", SetParams.setParams().exAt(START_MILLIS / 1000 + 50));
        assertThat(jedis.ttl("exat")).isEqualTo(50);
        jedis.set("pxat", "v", SetParams.setParams().pxAt(START_MILLIS + 7));
        assertThat(jedis.pttl("pxat")).isEqualTo(7);

        jedis.set("ex", "w", SetParams.setParams().keepTtl());
        assertThat(jedis.ttl("ex")).isEqualTo(100);
        jedis.set("ex", "x");
        assertThat(jedis.ttl("ex")).isEqualTo(-1);
    }

    @Test
    void theLatestDeadlineIsStillADeadline() {
        jedis.set("set", "v", SetParams.setParams().pxAt(Long.MAX_VALUE));
        assertThat(jedis.pttl("set")).isEqualTo(Long.MAX_VALUE - 1 - START_MILLIS);
        jedis.set("expire", "v");
        assertThat(jedis.pexpireAt("expire", Long.MAX_VALUE)).isOne();
        assertThat(jedis.pttl("expire")).isEqualTo(Long.MAX_VALUE - 1 - START_MILLIS);
        assertThat(jedis.persist("expire")).isOne();
        assertThat(jedis.pttl("expire")).isEqualTo(-1);
        // A relative expiry that ends at or near the largest time is a deadline too, as in Redis, whichever command
        // sets it (one that would pass the largest time is refused: strings.resp checks that against Redis).
        jedis.set("px", "v", SetParams.setParams().px(Long.MAX_VALUE - START_MILLIS));
        assertThat(jedis.pttl("px")).isEqualTo(Long.MAX_VALUE - 1 - START_MILLIS);
        jedis.psetex("psetex", Long.MAX_VALUE - START_MILLIS, "v");
        assertThat(jedis.pttl("psetex")).isEqualTo(Long.MAX_VALUE - 1 - START_MILLIS);
    }

    @Test
    void aValueExpiresWhenItsTimeHasCome() {
        jedis.setex("k", 10, "v");
        advanceSeconds(9);
        assertThat(jedis.get("k")).isEqualTo("v");
        advanceSeconds(1);
        assertThat(jedis.get("k")).isNull();
        assertThat(jedis.ttl("k")).isEqualTo(-2);
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void setWithADeadlineInThePastLeavesNoKey() {
        jedis.set("k", "old");
        assertThat(jedis.set("k", "new", SetParams.setParams().exAt(1))).isEqualTo("OK");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void invalidSetOptionsAreRedisErrors() {
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "KEEPTTL", "EX", "10"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "10", "PX", "5"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "ten"),
                "ERR value is not an integer or out of range");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "0"),
                "ERR invalid expire time in 'set' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "9223372036854775807"),
                "ERR invalid expire time in 'set' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.SETEX, "k", "-1", "v"),
                "ERR invalid expire time in 'setex' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.PSETEX, "k", "0", "v"),
                "ERR invalid expire time in 'psetex' command");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void psetexSetsAMillisecondTtl() {
        assertThat(jedis.psetex("k", 2500, "v")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isEqualTo(2500);
        assertThat(jedis.get("k")).isEqualTo("v");
    }

    @Test
    void getdelReturnsTheValueOnce() {
        jedis.set("k", "v");
        assertThat(jedis.getDel("k")).isEqualTo("v");
        assertThat(jedis.getDel("k")).isNull();
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void getexReadsAndChangesTheExpiry() {
        assertThat(jedis.getEx("missing", GetExParams.getExParams().ex(10))).isNull();
        jedis.set("k", "v");
        assertThat(jedis.getEx("k", GetExParams.getExParams().ex(100))).isEqualTo("v");
        assertThat(jedis.ttl("k")).isEqualTo(100);
        assertThat(jedis.getEx("k", GetExParams.getExParams().px(5000))).isEqualTo("v");
        assertThat(jedis.pttl("k")).isEqualTo(5000);
        assertThat(jedis.getEx("k", GetExParams.getExParams())).isEqualTo("v");
        assertThat(jedis.pttl("k")).isEqualTo(5000);
        assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "k", "PERSIST", "EX", "1"), "ERR syntax error");
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EX", "0"),
                "ERR invalid expire time in 'getex' command");
        assertThat(jedis.getEx("k", GetExParams.getExParams().pxAt(START_MILLIS - 1))).isEqualTo("v");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void getexOfAMissingKeyIsNullEvenWithAnInvalidTimeAsInRedis() {
        assertThat(jedis.sendCommand(Protocol.Command.GETEX, "missing", "EX", "0")).isNull();
        assertThat(jedis.sendCommand(Protocol.Command.GETEX, "missing", "EX", "ten")).isNull();
        assertThat(jedis.sendCommand(Protocol.Command.GETEX, "missing", "PX", "9223372036854775807")).isNull();
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "missing", "EX"), "ERR syntax error");
        jedis.set("k", "v");
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EX", "ten"),
                "ERR value is not an integer or out of range");
        assertError(() -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EXAT", "0"),
                "ERR invalid expire time in 'getex' command");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.exists("missing")).isFalse();
    }

    @Test
    void msetWritesEveryPairAndMgetReadsThemInOrderWithNullsForMissing() {
        assertThat(jedis.mset("a", "1", "b", "2", "c", "3")).isEqualTo("OK");
        assertThat(jedis.mget("a", "missing", "c", "b")).containsExactly("1", null, "3", "2");
        assertError(() -> jedis.sendCommand(Protocol.Command.MSET, "a", "1", "b"),
                "ERR wrong number of arguments for 'mset' command");
    }

    @Test
    void msetWithOneBadKeyWritesNothing() {
        assertThatThrownBy(() -> jedis.mset("a", "1", "", "2")).isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("ERR invalid key");
        assertThat(jedis.exists("a")).isFalse();
    }

    /** The group's budget is checked for every pair first too: an entry that cannot fit fails the whole MSET. */
    @Test
    void msetWithOneEntryOverTheGroupsBudgetWritesNothing() {
        try (CacheNode small = RespTestNodes.start(Map.of("ringcache.groups.default.max-bytes", "2K"));
             Jedis client = new Jedis("127.0.0.1", small.respPort())) {
            assertThatThrownBy(() -> client.mset("a", "1", "b", "v".repeat(3000))).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("does not fit group 'default'");
            assertThat(client.exists("a")).isFalse();
            assertThat(client.mset("a", "1", "b", "2")).isEqualTo("OK");
        }
    }

    @Test
    void delWithOneBadKeyDeletesNothing() {
        jedis.mset("a", "1", "b", "2");
        for (String bad : List.of("", "k".repeat(257))) {
            assertThatThrownBy(() -> jedis.del("a", bad, "b")).isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("ERR invalid key");
            assertThatThrownBy(() -> jedis.unlink("a", bad)).isInstanceOf(JedisDataException.class)
                    .hasMessageStartingWith("ERR invalid key");
        }
        assertThat(jedis.exists("a", "b")).isEqualTo(2);
    }

    @Test
    void incrementsStartFromZeroAndKeepTheTtl() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
        assertThat(jedis.decr("n")).isEqualTo(41);
        assertThat(jedis.decrBy("n", 50)).isEqualTo(-9);
        assertThat(jedis.get("n")).isEqualTo("-9");
        jedis.expire("n", 100);
        jedis.incr("n");
        assertThat(jedis.ttl("n")).isEqualTo(100);
    }

    @Test
    void incrementOfANonIntegerIsRefusedAndTheValueKept() {
        for (String value : List.of("abc", "01", " 1", "+1", "-0", "1.5", "")) {
            jedis.set("k", value);
            assertError(() -> jedis.incr("k"), "ERR value is not an integer or out of range");
            assertThat(jedis.get("k")).isEqualTo(value);
        }
        assertError(() -> jedis.sendCommand(Protocol.Command.INCRBY, "k", "x"),
                "ERR value is not an integer or out of range");
    }

    @Test
    void integerOverflowIsRefusedAndTheValueKept() {
        jedis.set("n", Long.toString(Long.MAX_VALUE));
        assertError(() -> jedis.incr("n"), "ERR increment or decrement would overflow");
        assertThat(jedis.get("n")).isEqualTo(Long.toString(Long.MAX_VALUE));
        jedis.set("n", Long.toString(Long.MIN_VALUE));
        assertError(() -> jedis.decr("n"), "ERR increment or decrement would overflow");
        assertError(() -> jedis.decrBy("m", Long.MIN_VALUE), "ERR decrement would overflow");
        assertThat(jedis.exists("m")).isFalse();
    }

    @Test
    void appendCreatesOrExtendsAndRefusesToPassTheValueLimit() {
        assertThat(jedis.append("k", "abc")).isEqualTo(3);
        assertThat(jedis.append("k", "de")).isEqualTo(5);
        assertThat(jedis.get("k")).isEqualTo("abcde");
        assertThatThrownBy(() -> jedis.append("k", "x".repeat(MAX_VALUE_BYTES)))
                .isInstanceOf(JedisDataException.class)
                .hasMessageContaining("the limit is " + MAX_VALUE_BYTES);
        assertThat(jedis.get("k")).isEqualTo("abcde");
        assertThat(jedis.strlen("missing")).isZero();
    }

    @Test
    void delAndUnlinkCountTheKeysThatExistedOnce() {
        jedis.mset("a", "1", "b", "2");
        assertThat(jedis.del("a", "a", "missing", "b")).isEqualTo(2);
        jedis.set("c", "3");
        assertThat(jedis.unlink("c", "c")).isEqualTo(1);
        assertThat(jedis.del("c")).isZero();
    }

    @Test
    void existsCountsEveryMentionOfAPresentKey() {
        jedis.set("a", "1");
        assertThat(jedis.exists("a", "a", "missing")).isEqualTo(2);
    }

    @Test
    void expireAndPexpireSetTtlsAndPersistRemovesThem() {
        assertThat(jedis.expire("missing", 10)).isZero();
        jedis.set("k", "v");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.expire("k", 10)).isOne();
        assertThat(jedis.ttl("k")).isEqualTo(10);
        assertThat(jedis.pexpire("k", 2500)).isOne();
        assertThat(jedis.pttl("k")).isEqualTo(2500);
        assertThat(jedis.persist("k")).isOne();
        assertThat(jedis.persist("k")).isZero();
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.pttl("missing")).isEqualTo(-2);
    }

    @Test
    void expireConditionsTreatNoTtlAsInfinite() {
        jedis.set("k", "v");
        assertThat(jedis.expire("k", 10, ExpiryOption.XX)).isZero();
        assertThat(jedis.expire("k", 10, ExpiryOption.GT)).isZero();
        assertThat(jedis.expire("k", 10, ExpiryOption.LT)).isOne();
        assertThat(jedis.expire("k", 20, ExpiryOption.NX)).isZero();
        assertThat(jedis.expire("k", 5, ExpiryOption.GT)).isZero();
        assertThat(jedis.expire("k", 20, ExpiryOption.GT)).isOne();
        assertThat(jedis.expire("k", 30, ExpiryOption.XX)).isOne();
        assertThat(jedis.ttl("k")).isEqualTo(30);
        assertError(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "10", "NX", "XX"),
                "ERR NX and XX, GT or LT options at the same time are not compatible");
        assertError(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "10", "GT", "LT"),
                "ERR GT and LT options at the same time are not compatible");
        assertError(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "10", "FOO"), "ERR Unsupported option FOO");
        assertError(() -> jedis.sendCommand(Protocol.Command.EXPIRE, "k", "9223372036854775807"),
                "ERR invalid expire time in 'expire' command");
    }

    @Test
    void expireInThePastDeletesTheKey() {
        jedis.set("k", "v");
        assertThat(jedis.expire("k", -5)).isOne();
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void expireatAndPexpireatSetAUnixTimeAndOneInThePastDeletes() {
        jedis.set("k", "v");
        assertThat(jedis.expireAt("k", START_MILLIS / 1000 + 40)).isOne();
        assertThat(jedis.ttl("k")).isEqualTo(40);
        assertThat(jedis.pexpireAt("k", START_MILLIS + 900, ExpiryOption.LT)).isOne();
        assertThat(jedis.pttl("k")).isEqualTo(900);
        assertThat(jedis.pexpireAt("k", START_MILLIS + 5000, ExpiryOption.LT)).isZero();
        assertThat(jedis.expireAt("missing", START_MILLIS / 1000 + 40)).isZero();
        assertError(() -> jedis.sendCommand(Protocol.Command.EXPIREAT, "k", "9223372036854775807"),
                "ERR invalid expire time in 'expireat' command");
        assertThat(jedis.pexpireAt("k", START_MILLIS - 1)).isOne();
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void typeIsStringOrNone() {
        jedis.set("k", "v");
        assertThat(jedis.type("k")).isEqualTo("string");
        assertThat(jedis.type("missing")).isEqualTo("none");
    }

    @Test
    void dbsizeCountsKeysAndFlushRemovesThemAll() {
        jedis.mset("a", "1", "b", "2", "c", "3");
        assertThat(jedis.dbSize()).isEqualTo(3);
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        jedis.set("a", "1");
        assertThat(jedis.flushAll(FlushMode.ASYNC)).isEqualTo("OK");
        assertThat(jedis.get("a")).isNull();
        assertError(() -> jedis.sendCommand(Protocol.Command.FLUSHALL, "LATER"), "ERR syntax error");
    }

    @Test
    void pingEchoAndSelectZero() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hello")).isEqualTo("hello");
        assertThat(jedis.echo("hi")).isEqualTo("hi");
        assertThat(jedis.select(0)).isEqualTo("OK");
        assertError(() -> jedis.select(1), "ERR DB index is out of range");
        assertError(() -> jedis.sendCommand(Protocol.Command.PING, "a", "b"),
                "ERR wrong number of arguments for 'ping' command");
    }

    @Test
    void clientNameIdAndLibraryInfo() {
        assertThat(jedis.clientGetname()).isNull();
        assertThat(jedis.clientSetname("worker-1")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("worker-1");
        assertError(() -> jedis.clientSetname("a b"),
                "ERR Client names cannot contain spaces, newlines or special characters.");
        try (Jedis other = connect()) {
            assertThat(other.clientId()).isNotEqualTo(jedis.clientId());
        }
        assertThat(jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "LIB-NAME", "myclient"))
                .isEqualTo("OK".getBytes(UTF_8));
        assertError(() -> jedis.sendCommand(Protocol.Command.CLIENT, "SETINFO", "colour", "x"),
                "ERR Unrecognized option 'colour'");
        assertError(() -> jedis.sendCommand(Protocol.Command.CLIENT, "LIST"),
                "ERR unknown subcommand 'LIST'. Try CLIENT HELP.");
    }

    @Test
    void unknownCommandsAndWrongAritiesAreRedisErrors() {
        assertError(() -> jedis.sendCommand(() -> "FOO".getBytes(UTF_8), "a", "b"),
                "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
        assertError(() -> jedis.sendCommand(Protocol.Command.GET), "ERR wrong number of arguments for 'get' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.CONFIG, "GET"),
                "ERR wrong number of arguments for 'config|get' command");
        assertError(() -> jedis.sendCommand(Protocol.Command.LPUSH, "k", "v"),
                "ERR unknown command 'LPUSH', with args beginning with: 'k' 'v' ");
    }

    @Test
    void anUnknownCommandQuotesItsArgumentsUpTo128CharactersAsRedisDoes() {
        assertError(() -> jedis.sendCommand(() -> "FOO".getBytes(UTF_8), "a".repeat(200), "b"),
                "ERR unknown command 'FOO', with args beginning with: '" + "a".repeat(128) + "' ");
        assertError(() -> jedis.sendCommand(() -> "FOO".getBytes(UTF_8), "a".repeat(10), "b".repeat(200), "c"),
                "ERR unknown command 'FOO', with args beginning with: '" + "a".repeat(10) + "' '"
                        + "b".repeat(128 - 13) + "' ");
    }

    @Test
    void configGetAnswersWhatBenchmarksAskWithGlobs() {
        assertThat(jedis.configGet("save", "appendonly")).containsExactlyInAnyOrderEntriesOf(
                Map.of("save", "", "appendonly", "no"));
        assertThat(jedis.configGet("max*")).containsEntry("maxmemory", Long.toString(64L << 20));
        assertThat(jedis.configGet("requirepass")).isEmpty();
    }

    /**
     * The group's budget and, under Redis's name for it, its eviction policy: every ringcache policy evicts from all
     * keys, by frequency ({@code allkeys-lfu}) or by age ({@code allkeys-lru}, which FIFO's insertion order and
     * LRU-2's second-to-last access are closest to). Tools that check the policy know these names.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"tinylfu, allkeys-lfu", "lfu, allkeys-lfu", "lru, allkeys-lru", "lru2, allkeys-lru",
            "fifo, allkeys-lru"})
    void configGetAnswersTheBudgetAndTheRedisNameOfTheEvictionPolicy(String policy, String redisName) {
        try (CacheNode other = RespTestNodes.start(Map.of("ringcache.groups.default.max-bytes", "3M",
                "ringcache.groups.default.eviction", policy));
             Jedis client = new Jedis("127.0.0.1", other.respPort())) {
            assertThat(client.configGet("maxmemory-policy")).containsExactly(Map.entry("maxmemory-policy", redisName));
            assertThat(client.configGet("maxmemory")).containsExactly(Map.entry("maxmemory", Long.toString(3L << 20)));
            assertThat(client.configGet("maxmemory*")).containsOnlyKeys("maxmemory", "maxmemory-policy");
        }
    }

    @Test
    void configGetAnswersAnExactNameAsGivenAndEachParameterOnce() {
        assertThat(jedis.configGet("SAVE")).containsExactly(Map.entry("SAVE", ""));
        assertThat(jedis.configGet("AppendOnly", "appendonly", "append*")).containsExactly(Map.entry("AppendOnly", "no"));
        assertThat(jedis.configGet("SAV?")).containsExactly(Map.entry("save", ""));
    }

    @Test
    void infoReportsRealFiguresInRedisFormat() {
        jedis.set("a", "1");
        jedis.setex("b", 100, "2");
        jedis.get("a");
        jedis.get("missing");
        String info = jedis.info();
        assertThat(info).contains("# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Stats\r\n", "# Keyspace\r\n");
        assertThat(info).contains("redis_version:7.0.0", "tcp_port:" + node.respPort(), "connected_clients:1",
                "keyspace_hits:1", "keyspace_misses:1", "maxmemory:" + (64L << 20));
        assertThat(jedis.info("keyspace")).isEqualTo("# Keyspace\r\ndb0:keys=2,expires=1\r\n");
        jedis.persist("b");
        assertThat(jedis.info("keyspace")).isEqualTo("# Keyspace\r\ndb0:keys=2,expires=0\r\n");
        assertThat(jedis.info("nosuchsection")).isEmpty();
    }

    @Test
    void commandCountDocsAndInfoDescribeTheServedCommands() {
        long count = jedis.commandCount();
        assertThat(count).isGreaterThanOrEqualTo(37);
        assertThat(jedis.commandDocs("get")).containsKey("get");
        assertThat(jedis.commandDocs("get").get("get").getSummary()).isEqualTo("Returns the string value of a key.");
        @SuppressWarnings("unchecked")
        List<Object> info = (List<Object>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "get", "nosuch");
        assertThat(info).hasSize(2);
        assertThat(info.get(1)).isNull();
        assertThat((List<?>) jedis.sendCommand(Protocol.Command.COMMAND)).hasSize((int) count);
    }

    @Test
    void commandInfoAndDocsFindASubcommandByItsFullName() {
        @SuppressWarnings("unchecked")
        List<Object> info = (List<Object>) jedis.sendCommand(Protocol.Command.COMMAND, "INFO", "CLIENT|SetName",
                "client|nosuch", "nosuch|setname");
        assertThat(info).hasSize(3);
        assertThat(new String((byte[]) ((List<?>) info.get(0)).get(0), UTF_8)).isEqualTo("client|setname");
        assertThat(info.get(1)).isNull();
        assertThat(info.get(2)).isNull();
        assertThat(jedis.commandDocs("client|setname", "client|nosuch")).containsOnlyKeys("client|setname");
    }

    @Test
    void quitAnswersOkAndClosesTheConnection() {
        Jedis quitting = connect();
        assertThat(quitting.sendCommand(() -> "QUIT".getBytes(UTF_8))).isEqualTo("OK".getBytes(UTF_8));
        assertThatThrownBy(quitting::ping).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        quitting.close();
        assertThat(jedis.ping()).isEqualTo("PONG");
    }

    @Test
    void resp3ClientsGetResp3Replies() {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis resp3 = new Jedis(new HostAndPort("127.0.0.1", node.respPort()), config)) {
            resp3.set("k", "v");
            assertThat(resp3.get("k")).isEqualTo("v");
            assertThat(resp3.get("missing")).isNull();
            assertThat(resp3.mget("k", "missing")).containsExactly("v", null);
            assertThat(resp3.configGet("appendonly")).containsEntry("appendonly", "no");
            assertThat(resp3.info("server")).contains("redis_version:7.0.0");
            assertThat(resp3.incr("n")).isOne();
        }
    }

    private static void assertError(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(JedisDataException.class).hasMessage(message);
    }
}
