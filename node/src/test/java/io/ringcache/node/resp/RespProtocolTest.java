package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.core.CacheNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire itself: inline requests, pipelining, RESP3 encodings and protocol errors, byte for byte. */
class RespProtocolTest {

    private static final int MAX_VALUE_BYTES = 1024;

    private CacheNode node;

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of("ringcache.max-key-bytes", "64",
                "ringcache.max-value-bytes", Integer.toString(MAX_VALUE_BYTES)));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(node.respPort());
    }

    @Test
    void inlineCommandsSplitOnBlanksWithRedisQuoting() throws IOException {
        try (RawConnection c = connect()) {
            c.send("PING\r\nping hello\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("$5\r\nhello\r\n");
            c.send("set \"a b\" 'c d'\r\nget \"a b\"\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$3\r\nc d\r\n");
            c.send("set k \"\\x41\\tz\"\nget k\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$3\r\nA\tz\r\n");
        }
    }

    @Test
    void aVerticalTabOrFormFeedInsideAnInlineArgumentIsPartOfItAsInRedis() throws IOException {
        try (RawConnection c = connect()) {
            // Redis skips every isspace() byte between arguments but ends one only at space, tab, CR or LF.
            c.send("\u000b\fECHO\u000bx\r\n");
            assertThat(c.readReply())
                    .isEqualTo("-ERR unknown command 'ECHO\u000bx', with args beginning with: \r\n");
            c.send("ECHO \"x\"\f\r\nECHO a\fb\u000b\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nx\r\n");
            assertThat(c.readReply()).isEqualTo("$4\r\na\fb\u000b\r\n");
        }
    }

    @Test
    void blankLinesAndEmptyMultibulksGetNoReply() throws IOException {
        try (RawConnection c = connect()) {
            c.send("\r\n   \r\n*0\r\n*-1\r\nPING\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aRequestSplitAcrossManyWritesIsDecodedWhole() throws IOException {
        try (RawConnection c = connect()) {
            byte[] request = command("SET", "key", "value");
            for (byte b : request) {
                c.send(new byte[] {b});
            }
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.send(command("GET", "key")).readReply()).isEqualTo("$5\r\nvalue\r\n");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawConnection c = connect()) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                pipeline.writeBytes(command("SET", "k" + i, "v" + i));
                pipeline.writeBytes(command("INCR", "counter"));
                pipeline.writeBytes(command("GET", "k" + i));
            }
            c.send(pipeline.toByteArray());
            for (int i = 0; i < 200; i++) {
                assertThat(c.readReply()).isEqualTo("+OK\r\n");
                assertThat(c.readReply()).isEqualTo(":" + (i + 1) + "\r\n");
                String value = "v" + i;
                assertThat(c.readReply()).isEqualTo("$" + value.length() + "\r\n" + value + "\r\n");
            }
        }
    }

    @Test
    void aPipelineFarPastTheDecodedLimitIsReadOnAndAnsweredInFull() throws IOException {
        // One write of many reads' worth: the node stops reading at the limit and must start again by itself.
        int requests = 40 * CommandHandler.MAX_DECODED;
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            pipeline.writeBytes(i % 2 == 0 ? command("PING") : "PING\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (RawConnection c = connect()) {
            Thread sender = new Thread(() -> {
                try {
                    c.send(pipeline.toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            sender.start();
            for (int i = 0; i < requests; i++) {
                assertThat(c.readReply()).as("reply %d", i).isEqualTo("+PONG\r\n");
            }
            assertThat(c.send(command("ECHO", "last")).readReply()).isEqualTo("$4\r\nlast\r\n");
        }
    }

    @Test
    void helloThreeSwitchesTheEncodingOfLaterRepliesOnly() throws IOException {
        try (RawConnection c = connect()) {
            c.send(command("GET", "missing"));
            c.send(command("HELLO", "3"));
            c.send(command("GET", "missing"));
            c.send(command("CONFIG", "GET", "appendonly"));
            c.send(command("INFO", "keyspace"));
            c.send(command("HELLO", "2"));
            c.send(command("CONFIG", "GET", "appendonly"));
            assertThat(c.readReply()).isEqualTo("$-1\r\n");
            assertThat(c.readReply()).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n").contains("$5\r\nproto\r\n:3\r\n");
            assertThat(c.readReply()).isEqualTo("_\r\n");
            assertThat(c.readReply()).isEqualTo("%1\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
            assertThat(c.readReply()).isEqualTo("=16\r\ntxt:# Keyspace\r\n\r\n");
            assertThat(c.readReply()).startsWith("*14\r\n");
            assertThat(c.readReply()).isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
        }
    }

    @Test
    void helloRefusesUnknownVersionsAndOptions() throws IOException {
        try (RawConnection c = connect()) {
            c.send(command("HELLO", "4"));
            assertThat(c.readReply()).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            c.send(command("HELLO", "three"));
            assertThat(c.readReply()).isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            c.send(command("HELLO", "3", "AUTH", "default"));
            assertThat(c.readReply()).isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
            c.send(command("HELLO", "3", "SETNAME", "my-client"));
            assertThat(c.readReply()).startsWith("%7\r\n");
            c.send(command("CLIENT", "GETNAME"));
            assertThat(c.readReply()).isEqualTo("$9\r\nmy-client\r\n");
        }
    }

    @Test
    void authWithoutAConfiguredPasswordIsTheRedisError() throws IOException {
        try (RawConnection c = connect()) {
            c.send(command("AUTH", "secret"));
            assertThat(c.readReply()).isEqualTo("-ERR AUTH <password> called without any password configured for the "
                    + "default user. Are you sure your configuration is correct?\r\n");
            c.send(command("AUTH", "default", "anything"));
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            c.send(command("AUTH", "someone", "anything"));
            assertThat(c.readReply()).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        }
    }

    @Test
    void aNegativeBulkLengthIsAProtocolErrorThatClosesOnlyThatConnection() throws IOException {
        assertClosedWith("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    }

    @Test
    void aBulkOverTheValueLimitIsAProtocolError() throws IOException {
        assertClosedWith("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (MAX_VALUE_BYTES + 1) + "\r\n",
                "-ERR Protocol error: invalid bulk length (1025 bytes; the limit is 1024, ringcache.max-value-bytes)\r\n");
    }

    @Test
    void aRequestOverTheRequestLimitIsAProtocolErrorThatClosesOnlyThatConnection() throws IOException {
        // With these key and value limits the request limit is its floor, 64 MiB: exactly that many argument bytes
        // are accepted, and the next argument's length line is refused before its bytes are read.
        int argumentBytes = MAX_VALUE_BYTES;
        long limit = RespLimits.MIN_REQUEST_BYTES;
        int arguments = Math.toIntExact(limit / argumentBytes);
        byte[] oneArgument = ("$" + argumentBytes + "\r\n" + "v".repeat(argumentBytes) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int argumentsPerWrite = 1024;
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(argumentsPerWrite * oneArgument.length);
        for (int i = 0; i < argumentsPerWrite; i++) {
            chunk.writeBytes(oneArgument);
        }
        byte[] write = chunk.toByteArray();
        try (RawConnection bystander = connect(); RawConnection offender = connect()) {
            offender.send("*" + (arguments + 2) + "\r\n");
            for (int sent = 0; sent < arguments; sent += argumentsPerWrite) {
                offender.send(write);
            }
            offender.send("$1\r\n");
            assertThat(offender.readReply())
                    .isEqualTo("-ERR Protocol error: the request is larger than " + limit + " bytes\r\n");
            assertThat(offender.closedByServer()).isTrue();
            assertThat(bystander.send(command("PING")).readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void aWrongTypeByteInsideAMultibulkIsAProtocolError() throws IOException {
        assertClosedWith("*1\r\n:1\r\n", "-ERR Protocol error: expected '$', got ':'\r\n");
    }

    @Test
    void aBadMultibulkLengthIsAProtocolError() throws IOException {
        assertClosedWith("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        assertClosedWith("*01\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        assertClosedWith("*" + (RespLimits.MAX_ARGUMENTS + 1) + "\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    }

    @Test
    void aLengthLineEndingInABareLineFeedIsAProtocolErrorAsInRedis() throws IOException {
        assertClosedWith("*1\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        assertClosedWith("*1\r\n$4\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    }

    @Test
    void aBulkWithoutItsLineEndIsAProtocolError() throws IOException {
        assertClosedWith("*1\r\n$4\r\nPINGxx", "-ERR Protocol error: expected '\\r\\n' after a bulk string of 4 bytes\r\n");
    }

    @Test
    void unbalancedQuotesInAnInlineRequestAreAProtocolError() throws IOException {
        assertClosedWith("GET \"abc\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
    }

    @Test
    void anInlineRequestOverTheLineLimitIsAProtocolError() throws IOException {
        assertClosedWith("GET " + "a".repeat(RespLimits.MAX_LINE_BYTES + 10),
                "-ERR Protocol error: too big inline request\r\n");
    }

    @Test
    void requestsBeforeAProtocolErrorAreAnsweredFirst() throws IOException {
        try (RawConnection c = connect()) {
            c.send(new String(command("SET", "k", "v")) + "PING\r\n*1\r\n$-1\r\nPING\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.readReply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void quitAnswersThenClosesAndIgnoresTheRest() throws IOException {
        try (RawConnection c = connect()) {
            c.send(new String(command("QUIT")) + "SET k v\r\n");
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawConnection c = connect()) {
            assertThat(c.send(command("EXISTS", "k")).readReply()).isEqualTo(":0\r\n");
        }
    }

    @Test
    void aClientThatEndsItsInputGetsEveryReplyBeforeTheClose() throws IOException {
        try (RawConnection c = connect()) {
            // Requests and the end of input arrive together, as from `printf ... | nc -N`: Redis answers them all.
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(command("SET", "k", "v"));
            pipeline.writeBytes(command("GET", "k"));
            c.send(pipeline.toByteArray()).endInput();
            assertThat(c.readReply()).isEqualTo("+OK\r\n");
            assertThat(c.readReply()).isEqualTo("$1\r\nv\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aRequestCutShortByTheEndOfInputIsDroppedAfterTheWholeOnesAreAnswered() throws IOException {
        try (RawConnection c = connect()) {
            // Redis likewise answers what it could parse and closes without a word on the fragment.
            c.send("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\n").endInput();
            assertThat(c.readReply()).isEqualTo("+PONG\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void errorRepliesNeverCarryALineBreak() throws IOException {
        try (RawConnection c = connect()) {
            c.send(command("NO\r\nSUCH", "x\ny"));
            assertThat(c.readReply()).isEqualTo("-ERR unknown command 'NO  SUCH', with args beginning with: 'x y' \r\n");
        }
    }

    @Test
    void anUnknownCommandCountsBytesAndStopsAtANulAsRedisDoes() throws IOException {
        try (RawConnection c = connect()) {
            // After 'a' (4 bytes with quotes and space) 124 bytes are left: 62 two-byte letters.
            c.send(command("NO\0PE", "a\0b", "\u00e9".repeat(100), "never"));
            assertThat(c.readReply()).isEqualTo("-ERR unknown command 'NO', with args beginning with: 'a' '"
                    + "\u00e9".repeat(62) + "' \r\n");
            c.send(command("CLIENT", "x".repeat(200)));
            assertThat(c.readReply()).isEqualTo("-ERR unknown subcommand '" + "x".repeat(128)
                    + "'. Try CLIENT HELP.\r\n");
        }
    }

    @Test
    void errorsQuoteTheClientsBytesAsTheyCameAsRedisDoes() throws IOException {
        // Redis prints arguments with %s and %.*s: raw bytes, cut at a byte count even inside a UTF-8 sequence
        // and at a NUL, never decoded (decoding made U+FFFD of every byte that is not UTF-8).
        try (RawConnection c = connect()) {
            c.send(RawConnection.command(latin1("NOPE"), latin1("\u00c3\u00a9"), latin1("\u00c3\u00a9".repeat(100)),
                    latin1("\u00ff\u00fe")));
            // After 'é' (5 bytes with quotes and space) 123 are left: 61 letters and the first byte of the next.
            assertThat(c.readReplyBytes()).isEqualTo(latin1("-ERR unknown command 'NOPE', with args beginning with: '"
                    + "\u00c3\u00a9' '" + "\u00c3\u00a9".repeat(61) + "\u00c3' \r\n"));
            c.send(RawConnection.command(latin1("CLIENT"), latin1("\u00c3\u00a9\u00c3")));
            assertThat(c.readReplyBytes())
                    .isEqualTo(latin1("-ERR unknown subcommand '\u00c3\u00a9\u00c3'. Try CLIENT HELP.\r\n"));
            c.send(RawConnection.command(latin1("EXPIRE"), latin1("k"), latin1("10"), latin1("\u00ff\u00fe")));
            assertThat(c.readReplyBytes()).isEqualTo(latin1("-ERR Unsupported option \u00ff\u00fe\r\n"));
            c.send(RawConnection.command(latin1("EXPIRE"), latin1("k"), latin1("10"), latin1("a\0b")));
            assertThat(c.readReplyBytes()).isEqualTo(latin1("-ERR Unsupported option a\r\n"));
            c.send(RawConnection.command(latin1("HELLO"), latin1("3"), latin1("\u00e9t\u00e9")));
            assertThat(c.readReplyBytes()).isEqualTo(latin1("-ERR Syntax error in HELLO option '\u00e9t\u00e9'\r\n"));
        }
    }

    /** The bytes 0-255 that {@code text}'s characters stand for: how these tests write bytes that are not UTF-8. */
    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code request}, expects {@code error} then a close, while another connection keeps being served. */
    private void assertClosedWith(String request, String error) throws IOException {
        try (RawConnection bystander = connect(); RawConnection offender = connect()) {
            assertThat(bystander.send(command("SET", "bystander", "here")).readReply()).isEqualTo("+OK\r\n");
            offender.send(request);
            assertThat(offender.readReply()).isEqualTo(error);
            assertThat(offender.closedByServer()).isTrue();
            assertThat(bystander.send(command("GET", "bystander")).readReply()).isEqualTo("$4\r\nhere\r\n");
        }
    }
}
