package io.ringcache.node.resp;

import static io.ringcache.node.resp.RawConnection.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.core.CacheNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that pipelines requests and stops reading is paused, not buffered: the server stops running its
 * commands once their replies back up, and serves it again, in order and in full, once it reads.
 *
 * <p>The tests read and write with blocking socket calls, which have no timeout of their own: each test is bounded by
 * {@link Timeout}, whose interrupt closes the channel, so a server that never resumes fails the test, never hangs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RespBackpressureTest {

    private static final int VALUE_BYTES = 64 * 1024;
    /** 2,000 replies of 64 KiB: 128 MiB the server would have to hold for a client that does not read. */
    private static final int REQUESTS = 2_000;

    private CacheNode node;
    private final AtomicLong infoCommands = new AtomicLong();

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of("ringcache.max-value-bytes", Integer.toString(VALUE_BYTES)));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aClientThatStopsReadingIsPausedNotBuffered() throws Exception {
        storeBigValue();
        long before = commandsProcessed();

        byte[] pipeline = getsOfTheBigValue();
        try (SocketChannel slow = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.respPort()))) {
            slow.configureBlocking(false);
            ByteBuffer requests = ByteBuffer.wrap(pipeline);
            while (requests.hasRemaining() && slow.write(requests) > 0) {
                // Writes until everything is sent or the socket buffers are full.
            }

            // Once the replies back up, the server runs no more of this client's commands; this holds however
            // long we wait, which is what "paused, not buffered" means.
            assertThat(awaitStalled(before)).as("commands run while the client did not read").isLessThan(REQUESTS / 10);

            // Now read: every reply arrives, in full, while the rest of the requests are sent.
            slow.configureBlocking(true);
            Thread sender = new Thread(() -> {
                try {
                    while (requests.hasRemaining()) {
                        slow.write(requests);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            readEveryReply(slow);
            sender.join(10_000);
            assertThat(sender.isAlive()).as("the rest of the requests were sent").isFalse();
        }
        assertThat(commandsProcessed() - before).isGreaterThanOrEqualTo(REQUESTS);
    }

    @Test
    void aClientThatEndsItsInputWhilePausedGetsEveryReplyThenTheClose() throws Exception {
        storeBigValue();
        long before = commandsProcessed();
        byte[] pipeline = getsOfTheBigValue();
        try (SocketChannel slow = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.respPort()))) {
            // Every request fits the socket buffers; the server pauses on the replies, not on the requests.
            slow.write(ByteBuffer.wrap(pipeline));
            assertThat(awaitStalled(before)).as("commands run while the client did not read").isLessThan(REQUESTS / 10);

            // The end of input reaches a connection that is not being read: it is answered in full all the same.
            slow.shutdownOutput();
            readEveryReply(slow);
            assertThat(slow.read(ByteBuffer.allocate(1))).as("closed after the last reply").isEqualTo(-1);
        }
    }

    /**
     * One reply far larger than the connection buffers (an MGET of 256 values of 64 KiB, 16 MiB) is streamed to a
     * client that reads it only later, in full and followed by the reply after it.
     */
    @Test
    void aHugeReplyReachesAClientThatReadsItLate() throws Exception {
        storeBigValue();
        int values = 256;
        String[] mget = new String[values + 1];
        mget[0] = "MGET";
        Arrays.fill(mget, 1, mget.length, "big");
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        requests.writeBytes(command(mget));
        requests.writeBytes(command("PING"));
        long before = commandsProcessed();
        try (SocketChannel slow = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.respPort()))) {
            slow.write(ByteBuffer.wrap(requests.toByteArray()));
            await().atMost(Duration.ofSeconds(10)).until(() -> commandsProcessed() - before >= 1);

            String bulk = "$" + VALUE_BYTES + "\r\n" + "v".repeat(VALUE_BYTES) + "\r\n";
            byte[] expected = ("*" + values + "\r\n" + bulk.repeat(values) + "+PONG\r\n").getBytes();
            ByteBuffer received = ByteBuffer.allocate(expected.length);
            while (received.hasRemaining()) {
                assertThat(slow.read(received)).as("the server closed the connection").isPositive();
            }
            assertThat(received.array()).isEqualTo(expected);
        }
    }

    /** Waits until the server stops running this test's commands and stays stopped; returns how many ran. */
    private long awaitStalled(long before) {
        AtomicLong stalledAt = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long processed = commandsProcessed() - before;
            return stalledAt.getAndSet(processed) == processed;
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> commandsProcessed() - before <= stalledAt.get() + 1);
        return stalledAt.get();
    }

    /** Reads (blocking) the {@link #REQUESTS} replies of {@code GET big} and checks every byte. */
    private static void readEveryReply(SocketChannel slow) throws IOException {
        slow.configureBlocking(true);
        byte[] expectedReply = ("$" + VALUE_BYTES + "\r\n" + "v".repeat(VALUE_BYTES) + "\r\n").getBytes();
        long expectedBytes = (long) expectedReply.length * REQUESTS;
        ByteBuffer incoming = ByteBuffer.allocate(1 << 20);
        long received = 0;
        long firstMismatch = -1;
        while (received < expectedBytes) {
            incoming.limit((int) Math.min(incoming.capacity(), expectedBytes - received));
            int n = slow.read(incoming);
            assertThat(n).as("the server closed the connection").isPositive();
            incoming.flip();
            while (incoming.hasRemaining()) {
                if (incoming.get() != expectedReply[(int) (received % expectedReply.length)] && firstMismatch < 0) {
                    firstMismatch = received;
                }
                received++;
            }
            incoming.clear();
        }
        assertThat(firstMismatch).as("the first byte that differs from the expected replies").isEqualTo(-1);
    }

    private void storeBigValue() throws IOException {
        try (RawConnection setup = new RawConnection(node.respPort())) {
            assertThat(setup.send(command("SET", "big", "v".repeat(VALUE_BYTES))).readReply()).isEqualTo("+OK\r\n");
        }
    }

    /** {@value #REQUESTS} GETs of the big value, pipelined in one array. */
    private static byte[] getsOfTheBigValue() {
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        for (int i = 0; i < REQUESTS; i++) {
            pipeline.writeBytes(command("GET", "big"));
        }
        return pipeline.toByteArray();
    }

    /** total_commands_processed from INFO, less the INFO commands this test sent to read it. */
    private long commandsProcessed() throws IOException {
        return RespTestNodes.totalCommandsProcessed(node) - infoCommands.incrementAndGet();
    }
}
