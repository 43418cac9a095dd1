package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.PeerUnsupportedOperationException;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeerMetricsTest {

    private static final String[] NAMES = {"ringcache.peer.connections.closed.bad.input",
        "ringcache.peer.calls.unsent.write.buffer.full", "ringcache.peer.calls.unsupported",
        "ringcache.peer.requests.unsupported", "ringcache.peer.reads.paused.requests.in.progress"};

    @Test
    void metricsReadThePeerServerAndClientWhenScrapedUntaggedByPeer() throws Exception {
        EventLoopGroup loops = Transports.newEventLoops(1, "peer-metrics-test");
        PeerServer server = PeerServer.start("127.0.0.1", 0, 64 * 1024,
                (request, deadline) -> CompletableFuture.completedFuture(PeerResponse.getDefaultInstance()), loops);
        try (PeerClient client = new PeerClient(loops, 1, 64 * 1024, Duration.ofSeconds(5))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PeerMetrics(server, client).bindTo(registry);
            for (String name : NAMES) {
                assertThat(registry.get(name).functionCounter().count()).as(name).isZero();
                assertThat(registry.get(name).functionCounter().getId().getTags()).as(name).isEmpty();
            }

            // A newer node's operation, which this node does not know: refused by its server, to its own client.
            PeerRequest newer = PeerRequest.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder().addField(99,
                    UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("op")).build())
                    .build()).build();
            CompletableFuture<PeerResponse> call = client.call("127.0.0.1:" + server.port(), newer,
                    Duration.ofSeconds(5));
            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PeerUnsupportedOperationException.class);

            assertThat(registry.get("ringcache.peer.calls.unsupported").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("ringcache.peer.requests.unsupported").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("ringcache.peer.calls.unsent.write.buffer.full").functionCounter().count())
                    .isZero();
            assertThat(registry.get("ringcache.peer.connections.closed.bad.input").functionCounter().count())
                    .isZero();
        } finally {
            server.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
