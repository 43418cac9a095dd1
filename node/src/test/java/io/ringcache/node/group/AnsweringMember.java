package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Value;
import io.ringcache.node.store.StoredValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A member on loopback that answers every GET with one value, marked hot or not, at the version {@code version}
 * gives (and the expiry {@code expiresAtMillis} gives, if any), and every other request with an ack; it counts the
 * GETs.
 */
final class AnsweringMember implements AutoCloseable {

    private static final int MAX_FRAME = 1 << 20;

    private final AtomicInteger gets = new AtomicInteger();
    private final PeerServer server;

    AnsweringMember(EventLoopGroup loops, String value, boolean hot, LongSupplier version) throws InterruptedException {
        this(loops, value, hot, version, () -> StoredValue.NEVER);
    }

    AnsweringMember(EventLoopGroup loops, String value, boolean hot, LongSupplier version,
                    LongSupplier expiresAtMillis) throws InterruptedException {
        server = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            if (!request.hasGet()) {
                return CompletableFuture.completedFuture(
                        PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
            }
            gets.incrementAndGet();
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setValue(Value.newBuilder()
                    .setValue(ByteString.copyFrom(value, UTF_8)).setHot(hot).setVersion(version.getAsLong())
                    .setExpiresAtMillis(PeerCalls.expiryToWire(expiresAtMillis.getAsLong()))).build());
        }, loops);
    }

    String member() {
        return "127.0.0.1:" + server.port();
    }

    /** GETs answered so far. */
    int gets() {
        return gets.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
