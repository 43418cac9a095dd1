package io.ringcache.node.core;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.NotFound;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Value;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key's previous owner after a ring change, played by the test: a peer server on 127.0.0.1 that answers a new
 * owner's questions for keys (gets with {@code peek}) with what the test said it holds, but only once the test lets
 * it ({@link #answer}); until then every question waits, as on a slow node. It answers pings, and acknowledges
 * every other request without acting on it.
 */
public final class ControlledPreviousOwner implements AutoCloseable {

    /** The version of every value held here: older than any write a real node makes. */
    public static final long VERSION = 1;

    private static final int MAX_FRAME = 1 << 20;

    private final EventLoopGroup loops;
    private final PeerServer server;
    private final Map<String, byte[]> held = new ConcurrentHashMap<>();
    private final AtomicInteger questions = new AtomicInteger();
    /** Completed by {@link #answer}: the questions waiting, and every later one, are answered. */
    private final CompletableFuture<Void> answering = new CompletableFuture<>();

    private ControlledPreviousOwner() throws InterruptedException {
        loops = Transports.newEventLoops(1, "previous-owner");
        server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> serve(request), loops);
    }

    public static ControlledPreviousOwner start() throws InterruptedException {
        return new ControlledPreviousOwner();
    }

    /** Its member id, as a ring lists it. */
    public String member() {
        return "127.0.0.1:" + server.port();
    }

    /** Makes it hold {@code value} under {@code key}, with version {@link #VERSION}. */
    public void holds(String key, String value) {
        held.put(key, value.getBytes(UTF_8));
    }

    /** Lets it answer the questions waiting and every later one at once. */
    public void answer() {
        answering.complete(null);
    }

    /** How many questions for keys it was asked so far. */
    public int questions() {
        return questions.get();
    }

    private CompletableFuture<PeerResponse> serve(PeerRequest request) {
        return switch (request.getOpCase()) {
            case GET -> {
                questions.incrementAndGet();
                String key = request.getGet().getKey();
                yield answering.thenApply(go -> {
                    byte[] value = held.get(key);
                    PeerResponse.Builder response = PeerResponse.newBuilder().setHandingOff(true);
                    return value == null ? response.setNotFound(NotFound.getDefaultInstance()).build()
                            : response.setValue(Value.newBuilder().setValue(ByteString.copyFrom(value))
                                    .setVersion(VERSION)).build();
                });
            }
            case PING -> CompletableFuture.completedFuture(
                    PeerResponse.newBuilder().setPong(Pong.newBuilder().setMember(member())).build());
            default -> CompletableFuture.completedFuture(
                    PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        };
    }

    @Override
    public void close() {
        server.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
