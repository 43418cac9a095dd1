package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.ringcache.node.core.CacheNode;
import io.ringcache.node.resp.DifferentialSession.Step;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds ringcache to Redis byte for byte: replays every session of {@code src/test/resources/resp-differential}
 * (format: {@link DifferentialSession}) against a real redis-server and one node, each over its own raw
 * connection, and compares every reply. Each session starts with both keyspaces flushed and new RESP2 connections.
 *
 * <p>Runs only where {@code redis-server} 7.0.x is installed ({@code apt-get install redis-server} on Debian 12),
 * the version ringcache answers as; skipped elsewhere. The server runs on 127.0.0.1 with a free port, no
 * persistence and a temporary directory, and is ended after the last session.
 *
 * <p>Two things are compared after normalising, because they differ between any two Redis servers too: the
 * {@code version} and {@code id} fields of a HELLO reply (the exact Redis release; each server numbers its
 * connections), and the reply of CLIENT ID. Replies that differ by design (docs/redis.md, "What differs from
 * Redis") are left out of the sessions, or marked {@code @differs} with the reason where a session keeps them.
 */
class RedisDifferentialTest {

    private static final String SESSIONS = "resp-differential";
    private static final int SHOWN_CHARS = 600;
    /** What a side "replied" when it sent nothing. */
    private static final byte[] NO_REPLY = "(no reply within 5 s)".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSED = "(no reply: the connection closed)".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern HELLO_VERSION = Pattern.compile("(\\$7\r\nversion\r\n)\\$\\d+\r\n[^\r]*\r\n");
    private static final Pattern HELLO_ID = Pattern.compile("(\\$2\r\nid\r\n):\\d+\r\n");
    private static final Pattern INTEGER = Pattern.compile(":\\d+\r\n");

    @TempDir
    static Path redisDir;

    /** Why the test cannot run on this machine, or {@code null}: it is then reported as skipped, with the reason. */
    private static String unavailable;
    private static RedisServerProcess redis;
    private static CacheNode node;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Optional<Path> executable = Executables.onPath("redis-server");
        if (executable.isEmpty()) {
            unavailable = "redis-server is not on the PATH";
            return;
        }
        Optional<String> version = RedisServerProcess.version(executable.get());
        if (version.filter(v -> v.startsWith("7.0.")).isEmpty()) {
            unavailable = "redis-server " + version.orElse("(version unknown)")
                    + " is not 7.0.x, the Redis ringcache answers as";
            return;
        }
        redis = RedisServerProcess.start(executable.get(), redisDir);
        node = RespTestNodes.start(Map.of());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySessionGetsRedisRepliesByteForByte() throws IOException, URISyntaxException {
        if (unavailable != null) {
            // One skipped test with the reason, so that a run without redis-server says so in its counts.
            return Stream.of(DynamicTest.dynamicTest("redis-server 7.0", () -> abort(unavailable)));
        }
        URL sessions = getClass().getClassLoader().getResource(SESSIONS);
        assertThat(sessions).as("test resources " + SESSIONS).isNotNull();
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of(sessions.toURI()))) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".resp")).sorted().toList();
        }
        assertThat(files).as("sessions in " + SESSIONS).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(),
                () -> replay(DifferentialSession.read(file))));
    }

    private void replay(DifferentialSession session) throws IOException {
        flushBoth();
        List<String> differences = new ArrayList<>();
        try (Connections connections = new Connections()) {
            run(session, connections, differences);
        }
        if (!differences.isEmpty()) {
            fail(session.name() + ": " + differences.size() + " difference(s) from Redis\n"
                    + String.join("\n", differences));
        }
    }

    private static void run(DifferentialSession session, Connections connections, List<String> differences)
            throws IOException {
        for (Step step : session.steps()) {
            switch (step.kind()) {
                case RECONNECT -> connections.reopen();
                case CLOSED -> {
                    checkClosed(session, step, connections, differences);
                    connections.reopen();
                }
                case SEND -> {
                    if (!exchange(session, step, connections, differences)) {
                        // One side is out of step with the other: what follows would only repeat this.
                        differences.add("(the rest of the session was not run)");
                        return;
                    }
                }
            }
        }
    }

    /**
     * Sends the step to both servers and compares its replies; false when one side has no reply where the other
     * has one, so the session cannot go on.
     */
    private static boolean exchange(DifferentialSession session, Step step, Connections connections,
                                    List<String> differences) {
        boolean redisTookIt = sent(connections.redis, step.request());
        boolean ringcacheTookIt = sent(connections.ringcache, step.request());
        for (int i = 1; i <= step.replies(); i++) {
            byte[] expected = normalised(step, redisTookIt ? readOutcome(connections.redis) : CLOSED);
            byte[] actual = normalised(step, ringcacheTookIt ? readOutcome(connections.ringcache) : CLOSED);
            boolean same = Arrays.equals(expected, actual);
            String where = location(session, step) + (step.replies() > 1 ? " (reply " + i + " of " + step.replies()
                    + ")" : "");
            if (step.differs() == null && !same) {
                differences.add(where + "\n    redis:     " + shown(expected) + "\n    ringcache: " + shown(actual));
            } else if (step.differs() != null && same) {
                differences.add(where + "\n    both replied " + shown(actual)
                        + ", but the session says they differ (" + step.differs() + "): remove its @differs");
            }
            if (!same && (isNoReply(expected) || isNoReply(actual))) {
                return false;
            }
        }
        return true;
    }

    /** A reply for a message: readable, and cut short when long (COMMAND's, say), with its full size. */
    private static String shown(byte[] reply) {
        String text = DifferentialSession.printable(reply);
        return text.length() <= SHOWN_CHARS ? text
                : text.substring(0, SHOWN_CHARS) + "... (" + reply.length + " bytes in all)";
    }

    private static void checkClosed(DifferentialSession session, Step step, Connections connections,
                                    List<String> differences) throws IOException {
        boolean redisClosed = connections.redis.closedByServer();
        boolean ringcacheClosed = connections.ringcache.closedByServer();
        if (!redisClosed || !ringcacheClosed) {
            differences.add(location(session, step) + "\n    redis closed the connection: " + redisClosed
                    + "\n    ringcache closed the connection: " + ringcacheClosed);
        }
    }

    private static String location(DifferentialSession session, Step step) {
        return session.name() + ":" + step.line() + ": " + step.source().strip();
    }

    /** Whether the request went out; not when the server had closed the connection (a session missing @closed). */
    private static boolean sent(RawConnection connection, byte[] request) {
        try {
            connection.send(request);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next reply's bytes, or a marker saying there was none. */
    private static byte[] readOutcome(RawConnection connection) {
        try {
            return connection.readReplyBytes();
        } catch (SocketTimeoutException e) {
            return NO_REPLY;
        } catch (IOException e) {
            return CLOSED;
        }
    }

    private static boolean isNoReply(byte[] outcome) {
        return Arrays.equals(outcome, NO_REPLY) || Arrays.equals(outcome, CLOSED);
    }

    /** The reply with the fields that differ between any two Redis servers replaced (see the class comment). */
    private static byte[] normalised(Step step, byte[] reply) {
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        List<String> words = step.words();
        if (!words.isEmpty() && words.get(0).equals("hello")) {
            text = replace(HELLO_VERSION, text, "$<version>\r\n");
            text = replace(HELLO_ID, text, ":<id>\r\n");
        } else if (words.equals(List.of("client", "id")) && INTEGER.matcher(text).matches()) {
            text = ":<id>\r\n";
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String replace(Pattern field, String text, String placeholder) {
        Matcher m = field.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + placeholder));
    }

    private static void flushBoth() throws IOException {
        for (int port : new int[] {redis.port(), node.respPort()}) {
            try (RawConnection c = new RawConnection(port)) {
                assertThat(c.send(RawConnection.command("FLUSHALL")).readReply()).as("FLUSHALL on port " + port)
                        .isEqualTo("+OK\r\n");
            }
        }
    }

    /** One connection to each server, opened anew when a session goes on over new connections. */
    private static final class Connections implements AutoCloseable {

        RawConnection redis;
        RawConnection ringcache;

        Connections() throws IOException {
            open();
        }

        private void open() throws IOException {
            redis = new RawConnection(RedisDifferentialTest.redis.port());
            ringcache = new RawConnection(node.respPort());
        }

        void reopen() throws IOException {
            close();
            open();
        }

        @Override
        public void close() throws IOException {
            try {
                redis.close();
            } finally {
                ringcache.close();
            }
        }
    }
}
