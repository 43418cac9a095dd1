package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringcache.node.core.CacheNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real redis-cli against a node; skipped where redis-cli is not installed ({@code apt-get install redis-tools}). */
class RedisCliSmokeTest {

    private static final String PASSWORD = "cli-secret";

    private CacheNode node;

    @BeforeEach
    void start() {
        assumeTrue(Executables.onPath("redis-cli").isPresent(), "redis-cli is not on the PATH");
        node = RespTestNodes.start(Map.of("ringcache.resp.password", PASSWORD));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** redis-cli's output for {@code args}, authenticated; its stdout is not a terminal, so replies are raw. */
    private String cli(Optional<Path> stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(node.respPort()), "-a", PASSWORD, "--no-auth-warning"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        stdin.ifPresent(file -> builder.redirectInput(file.toFile()));
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private String cli(String... args) throws IOException, InterruptedException {
        return cli(Optional.empty(), args);
    }

    @Test
    void redisCliRunsCommandsAgainstANode() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG");
        assertThat(cli("SET", "greeting", "hello world", "EX", "100")).isEqualTo("OK");
        assertThat(cli("GET", "greeting")).isEqualTo("hello world");
        assertThat(cli("TTL", "greeting")).isEqualTo("100");
        assertThat(cli("INCRBY", "counter", "5")).isEqualTo("5");
        assertThat(cli("MGET", "greeting", "missing", "counter")).isEqualTo("hello world\n\n5");
        assertThat(cli("DBSIZE")).isEqualTo("2");
        assertThat(cli("INFO", "server")).contains("redis_version:7.0.0", "tcp_port:" + node.respPort());
        assertThat(cli("-3", "GET", "greeting")).isEqualTo("hello world");
        assertThat(cli("CONFIG", "GET", "appendonly")).isEqualTo("appendonly\nno");
        assertThat(cli("FLUSHALL")).isEqualTo("OK");
        assertThat(cli("DBSIZE")).isEqualTo("0");
    }

    @Test
    void redisCliPipeModeLoadsManyKeys(@TempDir Path dir) throws Exception {
        StringBuilder commands = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            commands.append("SET key:").append(i).append(" value:").append(i).append("\r\n");
        }
        Path input = Files.writeString(dir.resolve("commands.txt"), commands);
        assertThat(cli(Optional.of(input), "--pipe")).contains("errors: 0, replies: 1000");
        assertThat(cli("GET", "key:999")).isEqualTo("value:999");
        assertThat(cli("DBSIZE")).isEqualTo("1000");
    }

    @Test
    void redisCliWithoutThePasswordIsRefused() throws Exception {
        Process process = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(node.respPort()),
                "GET", "k").redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                .isEqualTo("NOAUTH Authentication required.");
    }
}
