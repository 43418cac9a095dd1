package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Value;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a connection holds for a peer that stops reading what it is sent. */
class PeerBackpressureTest {

    private static final int MAX_FRAME = 64 * 1024;
    /** Requests of nearly a frame each, so that the write buffer fills in a few hundred calls. */
    private static final PeerRequest LARGE = PeerRequest.newBuilder()
            .setGet(Get.newBuilder().setGroup("g").setKey("k".repeat(MAX_FRAME - 1024))).build();
    /** Calls at most: a few times what the write buffer's high mark and the kernel's socket buffers take. */
    private static final int MAX_CALLS = 1_000;

    /** One loop, so that a task submitted to it runs after every send queued before it. */
    private EventLoopGroup loop;

    @BeforeEach
    void start() {
        loop = Transports.newEventLoops(1, "backpressure-test");
    }

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void callsToAPeerThatStopsReadingFailAtOnceUnsentOnceItsConnectionHoldsTheHighMark() throws Exception {
        try (ServerSocket deaf = new ServerSocket();
             // A call timeout longer than the test: no ping closes the connection meanwhile.
             PeerClient client = new PeerClient(loop, 1, MAX_FRAME, Duration.ofSeconds(60))) {
            CompletableFuture<Socket> accepted = listenWithSmallReceiveBuffer(deaf);
            String member = "127.0.0.1:" + deaf.getLocalPort();
            List<CompletableFuture<PeerResponse>> calls = new ArrayList<>();
            CompletableFuture<PeerResponse> refused = null;
            while (refused == null && calls.size() < MAX_CALLS) {
                CompletableFuture<PeerResponse> call = client.call(member, LARGE, Duration.ofSeconds(60));
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
                if (call.isCompletedExceptionally()) {
                    refused = call;
                } else {
                    calls.add(call);
                }
            }
            assertThat(refused).as("a call refused within " + MAX_CALLS + " calls").isNotNull();
            long queuedBytes = (long) calls.size() * LARGE.getSerializedSize();
            assertThat(queuedBytes).as("what the peer was sent before calls were refused")
                    .isGreaterThanOrEqualTo(PeerFrames.WRITE_BUFFER.high());
            CompletableFuture<PeerResponse> failed = refused;
            assertThatThrownBy(() -> failed.get(0, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                    .isNotInstanceOf(PeerNoAnswerException.class)
                    .hasMessageContaining("was not sent the request: it is not reading what it was sent");
            assertThat(calls).as("the calls sent before wait for their answers").noneMatch(CompletableFuture::isDone);
            assertThat(client.callsUnsentWriteBufferFull()).as("calls failed unsent, counted").isEqualTo(1);

            // The peer reads again: once what waited has drained, calls are sent again.
            try (Socket socket = accepted.get(5, TimeUnit.SECONDS); InputStream in = socket.getInputStream()) {
                CompletableFuture<Void> draining = CompletableFuture.runAsync(() -> drain(in));
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    CompletableFuture<PeerResponse> call = client.call(member, LARGE, Duration.ofSeconds(60));
                    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
                    return !call.isDone();
                });
                socket.shutdownInput();
                draining.cancel(false);
            }
        }
    }

    @Test
    void aCallOnAConnectionThatClosedFailsUnsentAndIsNotCountedAsAFullWriteBuffer() {
        // A closed channel is not writable either: a call the pool handed it just before it closed must not be
        // told, and counted, that its peer stopped reading.
        EmbeddedChannel closed = new EmbeddedChannel();
        closed.close().syncUninterruptibly();
        PeerCallCounts counts = new PeerCallCounts();
        PeerConnection connection = new PeerConnection("127.0.0.1:1", new AtomicLong(), counts, 60_000, MAX_FRAME);
        connection.attach(closed);

        CompletableFuture<PeerResponse> call = connection.call(LARGE, 60_000);

        assertThatThrownBy(() -> call.get(0, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class).hasMessageNotContaining("not reading");
        assertThat(counts.unsentWriteBufferFull.sum()).as("calls counted as unsent for a full write buffer").isZero();
    }

    @Test
    void aBurstOfLargeCallsWrittenInOneIterationIsFlushedBeforeAnyIsRefused() throws Exception {
        int maxFrame = 2 << 20;
        PeerRequest mebibyte = PeerRequest.newBuilder()
                .setGet(Get.newBuilder().setGroup("g").setKey("k".repeat(1 << 20))).build();
        // Frames of a little over 1 MiB, enough to exceed the high mark, and one more, judged while the others wait
        // in the flush consolidation, for a peer that reads all it is sent.
        int burst = PeerFrames.WRITE_BUFFER.high() / mebibyte.getSerializedSize() + 2;
        EventLoopGroup serverLoop = Transports.newEventLoops(1, "backpressure-server");
        PeerResponse answer = PeerResponse.getDefaultInstance();
        PeerServer server = PeerServer.start("127.0.0.1", 0, maxFrame,
                (request, deadline) -> CompletableFuture.completedFuture(answer), serverLoop);
        try (PeerClient client = new PeerClient(loop, 1, maxFrame, Duration.ofSeconds(60))) {
            String member = "127.0.0.1:" + server.port();
            client.call(member, mebibyte, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            // Made on the connection's loop in one task, as HTTP requests read in one iteration are forwarded.
            List<CompletableFuture<PeerResponse>> calls = loop.submit(() -> {
                List<CompletableFuture<PeerResponse>> made = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    made.add(client.call(member, mebibyte, Duration.ofSeconds(10)));
                }
                return made;
            }).get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(client.callsUnsentWriteBufferFull()).as("calls failed unsent").isZero();
        } finally {
            server.close();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPeerThatReadsAgainIsSentCallsOnceLessThanTheHighMarkWaits() throws Exception {
        try (ServerSocket slow = new ServerSocket();
             PeerClient client = new PeerClient(loop, 1, MAX_FRAME, Duration.ofSeconds(60))) {
            CompletableFuture<Socket> accepted = listenWithSmallReceiveBuffer(slow);
            String member = "127.0.0.1:" + slow.getLocalPort();
            boolean refused = false;
            for (int i = 0; i < MAX_CALLS && !refused; i++) {
                CompletableFuture<PeerResponse> call = client.call(member, LARGE, Duration.ofSeconds(60));
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
                refused = call.isCompletedExceptionally();
            }
            assertThat(refused).as("a call refused within " + MAX_CALLS + " calls").isTrue();

            // The peer reads 3 MiB and stops again: between the marks (the kernel's send buffer grows to 4 MiB at
            // most), a call fits under the high mark again, though writability comes back only below the low one.
            try (Socket socket = accepted.get(5, TimeUnit.SECONDS)) {
                socket.getInputStream().readNBytes(3 << 20);
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    CompletableFuture<PeerResponse> call = client.call(member, LARGE, Duration.ofSeconds(60));
                    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
                    return !call.isDone();
                });
            }
        }
    }

    @Test
    void theServerReadsNoMoreRequestsFromAPeerThatDoesNotReadTheirAnswers() throws Exception {
        AtomicInteger served = new AtomicInteger();
        PeerResponse large = PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFrom(new byte[MAX_FRAME - 1024]))).build();
        PeerServer server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            served.incrementAndGet();
            return CompletableFuture.completedFuture(large);
        }, loop);
        // Requests of 8 KiB, each answered with nearly a frame: what all of them are answered with is far more
        // than the write buffer's high mark and the kernel's socket buffers hold.
        int requests = 2_000;
        byte[] request = PeerRequest.newBuilder().setHops(StampedMessage.FIRST_HOP)
                .setGet(Get.newBuilder().setGroup("g").setKey("k".repeat(8 * 1024))).build().toByteArray();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        out.writeInt(request.length);
                        out.write(request);
                    }
                    out.flush();
                } catch (IOException e) {
                    // The test closed the socket while this waited for the server to read.
                }
            });
            assertThat(servedOnceSteady(served)).as("requests served from a peer that reads no answer")
                    .isLessThan(requests / 2);
            assertThat(sending).as("the peer waits to write the rest").isNotDone();
        } finally {
            server.close();
        }
    }

    @Test
    void theServerReadsNoMoreRequestsFromAConnectionWhileTooManyAreInProgressAndAgainOnceHalfAreAnswered()
            throws Exception {
        // Answers the service holds until the test releases them, in the order their requests were served.
        Queue<Map.Entry<String, CompletableFuture<PeerResponse>>> held = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        EventLoopGroup serverLoop = Transports.newEventLoops(1, "backpressure-server");
        PeerServer server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            CompletableFuture<PeerResponse> answer = new CompletableFuture<>();
            held.add(Map.entry(request.getGet().getKey(), answer));
            served.incrementAndGet();
            return answer;
        }, serverLoop);
        // Requests of over 1 KiB: the read under way when reading pauses holds at most 64 KiB of them.
        String padding = "k".repeat(1024);
        int requestBytes = PeerRequest.newBuilder().setGet(Get.newBuilder().setGroup("g").setKey(padding)).build()
                .getSerializedSize();
        int oneRead = (64 << 10) / requestBytes + 1;
        int requests = PeerReadGate.MAX_IN_PROGRESS + 1_000;
        try (PeerClient client = new PeerClient(loop, 1, MAX_FRAME, Duration.ofSeconds(60))) {
            String member = "127.0.0.1:" + server.port();
            Map<String, CompletableFuture<PeerResponse>> calls = new LinkedHashMap<>();
            for (int i = 0; i < requests; i++) {
                String key = padding + i;
                calls.put(key, client.call(member, PeerRequest.newBuilder()
                        .setGet(Get.newBuilder().setGroup("g").setKey(key)).build(), Duration.ofSeconds(60)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= PeerReadGate.MAX_IN_PROGRESS);
            int pausedAt = servedOnceSteady(served);
            assertThat(pausedAt).as("requests handed to the service before the server stopped reading")
                    .isBetween(PeerReadGate.MAX_IN_PROGRESS, PeerReadGate.MAX_IN_PROGRESS + oneRead);
            assertThat(server.readsPausedForRequestsInProgress()).as("pauses counted").isEqualTo(1);

            // Answered down to one above the resume mark: still paused.
            answer(held, pausedAt - PeerReadGate.RESUME_IN_PROGRESS - 1, calls);
            Thread.sleep(300);
            assertThat(served.get()).as("requests served while one more than the resume mark is in progress")
                    .isEqualTo(pausedAt);
            // One more answered: it reads again.
            answer(held, 1, calls);
            await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > pausedAt);

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                answer(held, held.size(), calls);
                return served.get() == requests && held.isEmpty();
            });
            for (Map.Entry<String, CompletableFuture<PeerResponse>> call : calls.entrySet()) {
                assertThat(call.getValue().get(10, TimeUnit.SECONDS).getValue().getValue().toStringUtf8())
                        .as("the answer to the call of a key").isEqualTo(call.getKey());
            }
            assertThat(server.readsPausedForRequestsInProgress()).as("pauses counted, none more while resumed")
                    .isEqualTo(1);
        } finally {
            server.close();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * A caller pings a connection it has read nothing from for its call timeout, and closes it if the ping goes
     * unanswered as long: a server paused for its requests in progress cannot read that ping (it waits behind the
     * requests not read), so, its loads all slow, the caller closed the connection and failed every call on it.
     */
    @Test
    void aConnectionPausedForItsRequestsInProgressIsNotClosedByItsCallersPing() throws Exception {
        Queue<CompletableFuture<PeerResponse>> held = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        EventLoopGroup serverLoop = Transports.newEventLoops(1, "backpressure-server");
        PeerServer server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            if (request.hasPing()) {
                return CompletableFuture.completedFuture(PeerResponse.getDefaultInstance());
            }
            CompletableFuture<PeerResponse> answer = new CompletableFuture<>();
            held.add(answer);
            served.incrementAndGet();
            return answer;
        }, serverLoop);
        Duration pingAfter = Duration.ofMillis(300);
        // Requests of over 1 KiB: the read under way when reading pauses holds at most 64 KiB of them.
        String padding = "k".repeat(1024);
        int requests = PeerReadGate.MAX_IN_PROGRESS + 1_000;
        try (PeerClient client = new PeerClient(loop, 1, MAX_FRAME, pingAfter)) {
            String member = "127.0.0.1:" + server.port();
            List<CompletableFuture<PeerResponse>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add(client.call(member, PeerRequest.newBuilder()
                        .setGet(Get.newBuilder().setGroup("g").setKey(padding + i)).build(), Duration.ofSeconds(30)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= PeerReadGate.MAX_IN_PROGRESS);
            assertThat(servedOnceSteady(served)).as("requests served before the server stopped reading")
                    .isLessThan(requests);

            // Silent for two pings' deadlines, and more: the caller pinged, and would have closed it by now.
            Thread.sleep(pingAfter.multipliedBy(5).toMillis());
            assertThat(calls).as("calls on the paused connection").noneMatch(CompletableFuture::isDone);

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (CompletableFuture<PeerResponse> answer = held.poll(); answer != null; answer = held.poll()) {
                    answer.complete(PeerResponse.getDefaultInstance());
                }
                return served.get() == requests && held.isEmpty();
            });
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            server.close();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * A ping sent just before the server paused waits behind the requests it does not read, keep-alives or not: the
     * connection is closed for it only if nothing else was read since it was sent.
     */
    @ParameterizedTest(name = "read since the ping: {0}")
    @ValueSource(booleans = {true, false})
    void anUnansweredPingClosesAConnectionOnlyIfNothingElseWasReadSinceItWasSent(boolean readSincePing)
            throws Exception {
        long pingTimeoutMillis = 50;
        EmbeddedChannel channel = new EmbeddedChannel();
        PeerConnection connection = new PeerConnection("127.0.0.1:1", new AtomicLong(), new PeerCallCounts(),
                pingTimeoutMillis, MAX_FRAME);
        connection.attach(channel);
        channel.pipeline().addLast(connection);

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat((Object) channel.readOutbound()).as("the ping").isNotNull();
        if (readSincePing) {
            // A keep-alive: an answer to no call.
            channel.writeInbound(PeerResponse.getDefaultInstance());
        }
        Thread.sleep(pingTimeoutMillis + 2 * PeerConnection.DEADLINE_SLACK_MILLIS);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).as("open once the ping's deadline passed").isEqualTo(readSincePing);
    }

    /** The count of requests {@code served} once it has stayed put for 300 ms (after 30 rounds at most). */
    private static int servedOnceSteady(AtomicInteger served) throws InterruptedException {
        int before;
        int rounds = 0;
        do {
            before = served.get();
            Thread.sleep(300);
        } while (served.get() != before && ++rounds < 30);
        return served.get();
    }

    /**
     * Completes the first {@code count} answers {@code held} with their key as the value, and waits until the
     * {@code calls} of those keys are answered: the server has written the answers, so it counts as many fewer
     * requests in progress.
     */
    private static void answer(Queue<Map.Entry<String, CompletableFuture<PeerResponse>>> held, int count,
                               Map<String, CompletableFuture<PeerResponse>> calls) throws Exception {
        List<CompletableFuture<PeerResponse>> answered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map.Entry<String, CompletableFuture<PeerResponse>> next = held.remove();
            next.getValue().complete(PeerResponse.newBuilder()
                    .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8(next.getKey()))).build());
            answered.add(calls.get(next.getKey()));
        }
        CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /** Reads and drops what {@code in} delivers until it ends. */
    private static void drain(InputStream in) {
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // The test closed the socket.
        }
    }

    /**
     * Binds {@code listener} to a loopback port with a small receive buffer, so that the kernel holds little of what
     * the peer does not read, and accepts its first connection.
     */
    private static CompletableFuture<Socket> listenWithSmallReceiveBuffer(ServerSocket listener) throws IOException {
        listener.setReceiveBufferSize(4096);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
