package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.core.CacheNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** A node with {@code ringcache.resp.password}: Redis's errors before, during and after AUTH. */
class RespAuthTest {

    private static final String PASSWORD = "s3cret";
    private static final String HELLO_NOAUTH = "-NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
            + "RESP protocol version at the same time\r\n";

    private CacheNode node;

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of("ringcache.resp.password", PASSWORD));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(node.respPort());
    }

    @Test
    void commandsBeforeAuthAreRefusedButUnknownOnesAreStillUnknown() throws IOException {
        try (RawConnection c = connect()) {
            assertThat(c.send(command("GET", "k")).readReply()).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.send(command("PING")).readReply()).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.send(command("NOPE")).readReply())
                    .isEqualTo("-ERR unknown command 'NOPE', with args beginning with: \r\n");
            assertThat(c.send(command("GET")).readReply())
                    .isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(c.send(command("QUIT")).readReply()).as("QUIT needs no authentication").isEqualTo("+OK\r\n");
        }
    }

    @Test
    void aWrongPasswordIsWrongpassAndTheRightOneOpensTheConnection() throws IOException {
        try (RawConnection c = connect()) {
            assertThat(c.send(command("AUTH", "guess")).readReply())
                    .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.send(command("AUTH", "admin", PASSWORD)).readReply())
                    .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.send(command("AUTH", "a", "b", "c")).readReply()).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.send(command("AUTH", PASSWORD)).readReply()).isEqualTo("+OK\r\n");
            assertThat(c.send(command("SET", "k", "v")).readReply()).isEqualTo("+OK\r\n");
        }
        try (RawConnection c = connect()) {
            assertThat(c.send(command("AUTH", "default", PASSWORD)).readReply()).isEqualTo("+OK\r\n");
            assertThat(c.send(command("GET", "k")).readReply()).isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void helloNeedsAuthenticationOrCarriesIt() throws IOException {
        try (RawConnection c = connect()) {
            assertThat(c.send(command("HELLO", "3")).readReply()).isEqualTo(HELLO_NOAUTH);
            assertThat(c.send(command("HELLO", "3", "AUTH", "default", "guess")).readReply())
                    .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.send(command("HELLO", "3", "AUTH", "default", PASSWORD)).readReply()).startsWith("%7\r\n");
            assertThat(c.send(command("GET", "missing")).readReply()).isEqualTo("_\r\n");
        }
    }

    @Test
    void helloRefusesABadClientNameBeforeTryingItsAuth() throws IOException {
        try (RawConnection c = connect()) {
            assertThat(c.send(command("HELLO", "2", "AUTH", "default", "guess", "SETNAME", "a b")).readReply())
                    .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
            assertThat(c.send(command("HELLO", "2", "AUTH", "default", PASSWORD, "SETNAME", "ok")).readReply())
                    .startsWith("*14\r\n");
            assertThat(c.send(command("CLIENT", "GETNAME")).readReply()).isEqualTo("$2\r\nok\r\n");
        }
    }

    @Test
    void beforeAuthRequestsAreHeldToRedissUnauthenticatedLimits() throws IOException {
        try (RawConnection c = connect()) {
            c.send("*11\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawConnection c = connect()) {
            c.send("*2\r\n$3\r\nGET\r\n$20000\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawConnection c = connect()) {
            // One write, so both arrive in one read: the AUTH must run before the SET is decoded.
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("AUTH", PASSWORD));
            pipeline.writeBytes(command("SET", "big", "x".repeat(20_000)));
            c.send(pipeline.toByteArray());
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void jedisWithThePasswordWorksAndWithoutItIsRefused() {
        HostAndPort address = new HostAndPort("127.0.0.1", node.respPort());
        try (Jedis jedis = new Jedis(address, DefaultJedisClientConfig.builder().password(PASSWORD).build())) {
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
        }
        try (Jedis jedis = new Jedis(address, DefaultJedisClientConfig.builder().password(PASSWORD)
                .protocol(RedisProtocol.RESP3).build())) {
            assertThat(jedis.get("k")).isEqualTo("v");
        }
        assertThatThrownBy(() -> new Jedis(address, DefaultJedisClientConfig.builder().password("wrong").build()))
                .isInstanceOf(JedisAccessControlException.class)
                .hasMessageContaining("WRONGPASS");
    }
}
