package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.config.Durations;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Ping;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Value;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeerTransportTest {

    private static final int MAX_FRAME = 64 * 1024;

    private EventLoopGroup loops;
    private PeerServer server;
    private PeerClient client;
    private final List<CompletableFuture<PeerResponse>> parked = new CopyOnWriteArrayList<>();
    private final List<Deadline> deadlines = new CopyOnWriteArrayList<>();
    /** The keys of the gets served, in the order the server served them. */
    private final List<String> served = new CopyOnWriteArrayList<>();

    /**
     * Answers get "slow" never (parked), get K with "value of K", ping with pong; remembers each deadline and the
     * order of the gets.
     */
    private CompletionStage<PeerResponse> serve(PeerRequest request, Deadline deadline) {
        deadlines.add(deadline);
        if (request.hasGet()) {
            served.add(request.getGet().getKey());
        }
        if (request.hasPing()) {
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setPong(Pong.newBuilder().setMember("server")).build());
        }
        String key = request.getGet().getKey();
        if (key.equals("slow")) {
            CompletableFuture<PeerResponse> never = new CompletableFuture<>();
            parked.add(never);
            return never;
        }
        if (key.equals("fail")) {
            return CompletableFuture.failedFuture(new IllegalStateException("handler broke"));
        }
        if (key.equals("unsupported")) {
            // What a node of an older version answers a request of an operation it does not know.
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setError(PeerError.newBuilder()
                    .setCode(PeerError.Code.UNSUPPORTED_OPERATION).setMessage("no operation this node knows"))
                    .build());
        }
        return CompletableFuture.completedFuture(PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8("value of " + key))).build());
    }

    @BeforeEach
    void start() throws InterruptedException {
        loops = Transports.newEventLoops(2, "peer-test");
        server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, this::serve, loops);
        client = new PeerClient(loops, 2, MAX_FRAME, Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String self() {
        return "127.0.0.1:" + server.port();
    }

    private static PeerRequest get(String key) {
        return PeerRequest.newBuilder().setGet(Get.newBuilder().setGroup("g").setKey(key)).build();
    }

    @Test
    void manyPipelinedCallsShareConnectionsAndEachGetsItsOwnAnswer() throws Exception {
        List<CompletableFuture<PeerResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(client.call(self(), get("k" + i), Duration.ofSeconds(5)));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(calls.get(i).get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8()).isEqualTo("value of k" + i);
        }
        PeerResponse pong = client.call(self(), PeerRequest.newBuilder().setPing(Ping.getDefaultInstance()).build(),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(pong.getPong().getMember()).isEqualTo("server");
    }

    @Test
    void theCallsOfAThreadOutsideTheLoopsReachThePeerInTheOrderTheyWereMade() throws Exception {
        // The first calls wait for the connection to be made; the later ones find it open.
        List<String> keys = new ArrayList<>();
        List<CompletableFuture<PeerResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            keys.add("k" + i);
            calls.add(client.call(self(), get("k" + i), Duration.ofSeconds(5)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(served).containsExactlyElementsOf(keys);
    }

    @Test
    void anIpv6MemberIdAsKubernetesDiscoveryWritesItIsCalled() throws Exception {
        // In an IPv6 cluster a member id is POD_IP:port with the address unbracketed, e.g. fd00::1:7100.
        PeerServer v6 = PeerServer.start("::1", 0, MAX_FRAME, this::serve, loops);
        try {
            PeerResponse answer = client.call("::1:" + v6.port(), get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertThat(answer.getValue().getValue().toStringUtf8()).isEqualTo("value of k");
        } finally {
            v6.close();
        }
    }

    @Test
    void callWithoutAnAnswerFailsAtItsDeadlineAsOneThePeerMayHaveServed() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.call(self(), get("slow"), Duration.ofMillis(200)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerNoAnswerException.class)
                .hasMessageContaining("did not answer within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void callFailsNoEarlierThanItsDeadlineAndAtMostTheSlackAfterIt() {
        long start = System.nanoTime();
        CompletableFuture<PeerResponse> call = client.call(self(), get("slow"), Duration.ofMillis(300));
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PeerUnavailableException.class);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // The slack plus room for a busy machine's scheduling; a timer that was never armed would hit the 5 s get.
        assertThat(waited).isLessThan(Duration.ofMillis(300 + PeerConnection.DEADLINE_SLACK_MILLIS + 1_000));
    }

    @Test
    void expiredCallLeavesCallsWithLaterDeadlinesToBeAnswered() throws Exception {
        CompletableFuture<PeerResponse> patient = client.call(self(), get("slow"), Duration.ofSeconds(30));
        CompletableFuture<PeerResponse> hasty = client.call(self(), get("slow"), Duration.ofMillis(100));
        assertThatThrownBy(() -> hasty.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(PeerUnavailableException.class)
                .hasMessageContaining("did not answer within 100 ms");
        assertThat(patient).isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> parked.size() == 2);
        parked.forEach(p -> p.complete(PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8("late"))).build()));
        assertThat(patient.get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8()).isEqualTo("late");
    }

    @Test
    void handlerFailureBecomesAnErrorResponse() throws Exception {
        PeerResponse response = client.call(self(), get("fail"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(response.hasError()).isTrue();
        assertThat(response.getError().getMessage()).contains("handler broke");
    }

    @Test
    void aRequestOfAnOperationThisNodeDoesNotKnowIsAnsweredAndItsConnectionServesTheNextRequest() throws Exception {
        // A newer node's operation: a field of PeerRequest this version has no name for.
        PeerRequest unknown = PeerRequest.newBuilder().setId(1).setHops(1).setTimeoutMillis(5_000)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("a newer op")).build()).build()).build();
        PeerRequest known = get("k").toBuilder().setId(2).setHops(1).setTimeoutMillis(5_000).build();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            writeFrame(out, unknown.toByteArray());
            PeerResponse refused = readResponse(in);
            assertThat(refused.getId()).isEqualTo(1);
            assertThat(refused.getError().getCode()).isEqualTo(PeerError.Code.UNSUPPORTED_OPERATION);
            assertThat(refused.getError().getMessage()).contains("99");

            writeFrame(out, known.toByteArray());
            PeerResponse answered = readResponse(in);
            assertThat(answered.getId()).isEqualTo(2);
            assertThat(answered.getValue().getValue().toStringUtf8()).isEqualTo("value of k");
        }
        assertThat(server.connectionsClosedForBadInput()).isZero();
        assertThat(server.requestsUnsupported()).as("requests answered UNSUPPORTED_OPERATION").isEqualTo(1);
        assertThat(served).containsExactly("k");
    }

    @Test
    void aCallThePeerAnswersUnsupportedFailsAloneNamingItsOperation() throws Exception {
        // Both calls are made on this thread, so both go over the same connection.
        CompletableFuture<PeerResponse> patient = client.call(self(), get("slow"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> parked.size() == 1);
        CompletableFuture<PeerResponse> unsupported = client.call(self(), get("unsupported"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> unsupported.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnsupportedOperationException.class)
                .hasMessageContaining("peer " + self() + " does not support operation GET")
                .hasMessageContaining("no operation this node knows");
        assertThat(client.callsUnsupported()).as("calls the peer answered UNSUPPORTED_OPERATION").isEqualTo(1);
        parked.get(0).complete(PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8("late"))).build());
        assertThat(patient.get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8()).isEqualTo("late");
        assertThat(client.callsUnsupported()).as("only the call answered UNSUPPORTED_OPERATION").isEqualTo(1);
    }

    @Test
    void theReceiverCountsTheCallsTimeoutFromWhenItReadTheRequest() throws Exception {
        client.call(self(), get("k"), Duration.ofMillis(400)).get(5, TimeUnit.SECONDS);
        Deadline deadline = deadlines.get(0);
        assertThat(deadline.passed()).as("what was left of the call's 400 ms when it was sent").isFalse();
        await().atMost(Duration.ofSeconds(2)).until(deadline::passed);
    }

    @Test
    void aRequestThatCarriesNoTimeoutHasNoDeadline() {
        assertThat(Deadline.ofRequest(0)).isSameAs(Deadline.NONE);
        assertThat(Deadline.NONE.passed()).isFalse();
        assertThat(Deadline.ofRequest(-1).passed()).as("the largest uint32 is not negative").isFalse();
        assertThat(Deadline.inMillis(0).passed()).isTrue();
    }

    /**
     * The longest timeouts configuration allows: {@code ringcache.peer-timeout} up to {@link Durations#MAX}, and a
     * call that waits twice that (a write) or that plus a load timeout of up to as much (a read-through GET), more
     * nanoseconds than a long holds. The call still waits for its answer, on a new connection and on an open one.
     */
    @Test
    void aCallWithTheLongestConfigurableTimeoutIsAnswered() throws Exception {
        PeerClient patient = new PeerClient(loops, 2, MAX_FRAME, Durations.MAX);
        try {
            Duration longest = Durations.MAX.multipliedBy(2);
            assertThat(patient.call(self(), get("first"), longest).get(5, TimeUnit.SECONDS)
                    .getValue().getValue().toStringUtf8()).isEqualTo("value of first");
            assertThat(patient.call(self(), get("second"), longest).get(5, TimeUnit.SECONDS)
                    .getValue().getValue().toStringUtf8()).isEqualTo("value of second");
            assertThat(deadlines).allSatisfy(d -> assertThat(d.passed()).isFalse());
        } finally {
            patient.close();
        }
    }

    @Test
    void aDeadlineTooFarToCountInNanosecondsHasNotPassed() {
        assertThat(Deadline.inMillis(Long.MAX_VALUE).passed()).isFalse();
        assertThat(Deadline.inMillis(Durations.MAX.multipliedBy(2).toMillis()).passed()).isFalse();
    }

    @Test
    void refusedPeerFailsFastAndIsNotRedialledDuringBackoff() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
        String dead = "127.0.0.1:" + freePort;
        // Never sent: certainly not served.
        assertThatThrownBy(() -> client.call(dead, get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(PeerUnavailableException.class).isNotInstanceOf(PeerNoAnswerException.class)
                .hasMessageContaining("unreachable");
        assertThatThrownBy(() -> client.call(dead, get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(PeerUnavailableException.class).isNotInstanceOf(PeerNoAnswerException.class)
                .hasMessageContaining("retrying in");
    }

    @Test
    void brokenConnectionFailsItsWaitingCallsAtOnceAndTheNextCallRedials() throws Exception {
        // A peer that takes each connection, reads the first request, then drops the connection unanswered.
        try (ServerSocket dropping = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            dropping.setSoTimeout(5_000);
            CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
                int connections = 0;
                for (int i = 0; i < 2; i++) {
                    try (Socket socket = dropping.accept()) {
                        socket.getInputStream().read();
                        connections++;
                    } catch (IOException e) {
                        break;
                    }
                }
                return connections;
            });
            String member = "127.0.0.1:" + dropping.getLocalPort();
            for (int call = 0; call < 2; call++) {
                long start = System.nanoTime();
                // The peer read the request before it dropped the connection: it may have served it.
                assertThatThrownBy(() -> client.call(member, get("k"), Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerNoAnswerException.class)
                        .hasMessageContaining("connection closed");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(accepted.get(10, TimeUnit.SECONDS)).as("connections the client made").isEqualTo(2);
        }
    }

    @Test
    void aResponseOverTheFrameLimitFailsItsConnectionsCallsNamingTheBadFrame() throws Exception {
        // A peer that answers the first request with a frame that declares more bytes than the limit.
        try (ServerSocket oversized = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            oversized.setSoTimeout(5_000);
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (Socket socket = oversized.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    in.readFully(new byte[in.readInt()]);
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeInt(MAX_FRAME);
                    out.flush();
                    // Keep the connection until the client closes it.
                    socket.setSoTimeout(5_000);
                    in.read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String member = "127.0.0.1:" + oversized.getLocalPort();
            assertThatThrownBy(() -> client.call(member, get("k"), Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerNoAnswerException.class)
                    .hasMessageContaining("connection closed").hasMessageContaining("frame length exceeds " + MAX_FRAME);
            answered.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectingCountsAgainstTheCallsDeadline() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             PeerClient patientDialer = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(10))) {
            List<Socket> queued = fillAcceptQueue(full);
            try {
                String hanging = "127.0.0.1:" + full.getLocalPort();
                long start = System.nanoTime();
                assertThatThrownBy(() -> patientDialer.call(hanging, get("k"), Duration.ofMillis(300)).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                        .isNotInstanceOf(PeerNoAnswerException.class)
                        .hasMessageContaining("did not connect within 300 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300 + 1_000));
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /** Connects to {@code listener}, which never accepts, until a connect no longer completes. */
    private static List<Socket> fillAcceptQueue(ServerSocket listener) throws IOException {
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(listener.getLocalSocketAddress(), 200);
                queued.add(socket);
            } catch (IOException e) {
                socket.close();
                return queued;
            }
        }
        throw new IllegalStateException("the accept queue of " + listener + " never filled up");
    }

    @Test
    void malformedOrOversizedFramesCloseOnlyTheirConnection() throws Exception {
        assertThat(client.call(self(), get("before"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).hasValue()).isTrue();
        sendRaw(new byte[] {0, 0, 0, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        sendRaw(new byte[] {0x7F, 0, 0, 0});
        sendRaw(new byte[] {0, 0, 0, 0});
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionsClosedForBadInput() >= 3);
        assertThat(server.connectionsClosedForBadInput()).isEqualTo(3);
        assertThat(client.call(self(), get("after"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)
                .getValue().getValue().toStringUtf8()).isEqualTo("value of after");
    }

    @Test
    void aConnectionResetByTheOtherEndIsNotBadInput() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                byte[] ping = PeerRequest.newBuilder().setId(1).setHops(1).setPing(Ping.getDefaultInstance()).build()
                        .toByteArray();
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(ping.length);
                out.write(ping);
                out.flush();
                // Wait for the answer, then reset the connection as a crashing or restarting node's kernel does.
                assertThat(socket.getInputStream().read()).isNotEqualTo(-1);
                socket.setSoLinger(true, 0);
            }
        }
        // The server hears of each reset when it next reads; a call after them shows it has.
        assertThat(client.call(self(), get("after"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).hasValue()).isTrue();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> server.connectionsClosedForBadInput() == 0);
    }

    @Test
    void anIdleConnectionIsPingedAndAPeerThatVanishedIsFoundOutWithoutWaitingForTheCallsDeadline() throws Exception {
        EventLoopGroup oneLoop = Transports.newEventLoops(1, "ping-test");
        try (ScriptedPeer peer = new ScriptedPeer();
             PeerClient pinging = new PeerClient(oneLoop, 1, MAX_FRAME, Duration.ofMillis(200))) {
            assertThat(pinging.call(peer.member(), get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)
                    .getValue().getValue().toStringUtf8()).isEqualTo("value of k");
            // Idle for several pings, each answered: the connection stays.
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.pingsAnswered() >= 3);
            assertThat(peer.connectionsClosedByClient()).isZero();

            // The peer's machine vanishes: no reset, no answer, the connection looks open.
            peer.silence();
            long start = System.nanoTime();
            CompletableFuture<PeerResponse> waiting = pinging.call(peer.member(), get("k2"), Duration.ofSeconds(30));
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(PeerNoAnswerException.class).hasMessageContaining("connection closed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a ping timeout or two, not the call's 30 s")
                    .isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.connectionsClosedByClient() == 1);

            peer.speak();
            assertThat(pinging.call(peer.member(), get("k3"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)
                    .getValue().getValue().toStringUtf8()).isEqualTo("value of k3");
            assertThat(peer.connectionsAccepted()).as("dialled again").isEqualTo(2);
        } finally {
            oneLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPeerThatLeftTheRingLosesItsConnectionsOnceTheirCallsAreAnswered() throws Exception {
        EventLoopGroup oneLoop = Transports.newEventLoops(1, "retain-test");
        try (ScriptedPeer peer = new ScriptedPeer();
             PeerClient calls = new PeerClient(oneLoop, 1, MAX_FRAME, Duration.ofSeconds(5))) {
            calls.call(peer.member(), get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            CompletableFuture<PeerResponse> inFlight = calls.call(peer.member(), get("slow"), Duration.ofSeconds(5));
            assertThat(calls.pooledPeers()).containsExactly(peer.member());

            calls.retainOnly(Set.of("127.0.0.1:1"));
            assertThat(calls.pooledPeers()).isEmpty();
            await("a call still waits on it").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                    .until(() -> peer.connectionsClosedByClient() == 0);
            assertThat(inFlight).isNotDone();

            peer.releaseHeld();
            assertThat(inFlight.get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8()).isEqualTo("value of slow");
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.connectionsClosedByClient() == 1);

            // Called again (a previous owner asked during a hand-off), it is dialled again.
            calls.call(peer.member(), get("k"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertThat(peer.connectionsAccepted()).isEqualTo(2);
        } finally {
            oneLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void closingTheServerClosesItsConnectionsSoCallsInFlightFailAtOnceAndNoneIsServedAfter() throws Exception {
        // The loops are shared with the client and outlive the server, as Vert.x's do in the Quarkus shell.
        assertThat(client.call(self(), get("before"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).hasValue()).isTrue();
        CompletableFuture<PeerResponse> inFlight = client.call(self(), get("slow"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> parked.size() == 1);
        String closed = self();

        server.close();
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerNoAnswerException.class)
                .hasMessageContaining("connection closed");
        assertThatThrownBy(() -> client.call(closed, get("after"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class);
        assertThat(served).doesNotContain("after");
    }

    @Test
    void aClosedClientFailsCallsInFlightAndDialsNoPeerAgain() throws Exception {
        CompletableFuture<PeerResponse> inFlight = client.call(self(), get("slow"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> parked.size() == 1);

        client.close();
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerNoAnswerException.class);
        // Nobody would close a connection dialled now: it would stay open as long as the peer does.
        assertThatThrownBy(() -> client.call(self(), get("after"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class).hasMessageContaining("closed");
        assertThat(client.pooledPeers()).isEmpty();
        assertThat(served).doesNotContain("after");
    }

    @Test
    void aRequestLargerThanTheFrameLimitIsRefusedUnsentAndTheCallsSharingItsConnectionAreAnswered() throws Exception {
        // Both calls are made on this thread, so both go over the same connection.
        CompletableFuture<PeerResponse> patient = client.call(self(), get("slow"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> parked.size() == 1);
        CompletableFuture<PeerResponse> huge = client.call(self(), get("k".repeat(MAX_FRAME)), Duration.ofSeconds(5));

        assertThatThrownBy(() -> huge.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PeerUnavailableException.class)
                .isNotInstanceOf(PeerNoAnswerException.class).hasMessageContaining("frame limit");
        parked.get(0).complete(PeerResponse.newBuilder()
                .setValue(Value.newBuilder().setValue(ByteString.copyFromUtf8("late"))).build());
        assertThat(patient.get(5, TimeUnit.SECONDS).getValue().getValue().toStringUtf8()).isEqualTo("late");
        assertThat(server.connectionsClosedForBadInput()).isZero();
    }

    private static void writeFrame(DataOutputStream out, byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    private static PeerResponse readResponse(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return PeerResponse.parseFrom(body);
    }

    /** Writes {@code bytes} on a fresh connection and waits until the server closes it. */
    private void sendRaw(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            new DataOutputStream(socket.getOutputStream()).write(bytes);
            assertThat(socket.getInputStream().read()).as("server closes the connection").isEqualTo(-1);
        }
    }
}
