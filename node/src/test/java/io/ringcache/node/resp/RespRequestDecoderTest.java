package io.ringcache.node.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringcache.node.group.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RespRequestDecoderTest {

    private final AtomicBoolean trusted = new AtomicBoolean(true);

    private EmbeddedChannel channel(RespLimits limits) {
        return new EmbeddedChannel(new RespRequestDecoder(limits, trusted::get));
    }

    private static List<RespRequest> decoded(EmbeddedChannel channel) {
        List<RespRequest> requests = new ArrayList<>();
        RespRequest request;
        while ((request = channel.readInbound()) != null) {
            requests.add(request);
        }
        return requests;
    }

    private static List<String> arguments(RespRequest request) {
        List<String> text = new ArrayList<>();
        for (byte[] argument : ((RespRequest.Command) request).arguments()) {
            text.add(new String(argument, US_ASCII));
        }
        return text;
    }

    @Test
    void requestsArriveWholeHoweverTheBytesAreSplit() {
        EmbeddedChannel channel = channel(RespLimits.of(Limits.DEFAULTS));
        byte[] wire = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n0123456789\r\nPING\r\n*1\r\n$4\r\nPING\r\n".getBytes(US_ASCII);
        for (byte b : wire) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<RespRequest> requests = decoded(channel);
        assertThat(requests).hasSize(3);
        assertThat(arguments(requests.get(0))).containsExactly("SET", "k", "0123456789");
        assertThat(arguments(requests.get(1))).containsExactly("PING");
        assertThat(arguments(requests.get(2))).containsExactly("PING");
    }

    @Test
    void manyArgumentsGrowTheArrayAsTheyArrive() {
        EmbeddedChannel channel = channel(RespLimits.of(Limits.DEFAULTS));
        StringBuilder wire = new StringBuilder("*101\r\n$4\r\nMGET\r\n");
        for (int i = 0; i < 100; i++) {
            String key = "k" + i;
            wire.append('$').append(key.length()).append("\r\n").append(key).append("\r\n");
        }
        channel.writeInbound(Unpooled.wrappedBuffer(wire.toString().getBytes(US_ASCII)));
        List<String> arguments = arguments(decoded(channel).get(0));
        assertThat(arguments).hasSize(101).startsWith("MGET", "k0").endsWith("k99");
    }

    @Test
    void aRequestOverTheRequestLimitIsAViolationAndTheRestIsDiscarded() {
        EmbeddedChannel channel = channel(new RespLimits(100, 1000, 150));
        channel.writeInbound(Unpooled.wrappedBuffer(
                "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n".getBytes(US_ASCII)));
        channel.writeInbound(Unpooled.wrappedBuffer(("x".repeat(100) + "\r\n").getBytes(US_ASCII)));
        channel.writeInbound(Unpooled.wrappedBuffer(("*4\r\n$4\r\nMSET\r\n$1\r\na\r\n$100\r\n" + "y".repeat(100)
                + "\r\n$50\r\n").getBytes(US_ASCII)));
        channel.writeInbound(Unpooled.wrappedBuffer("PING\r\n".getBytes(US_ASCII)));
        List<RespRequest> requests = decoded(channel);
        assertThat(requests).hasSize(2);
        assertThat(arguments(requests.get(0))).hasSize(3);
        assertThat(requests.get(1)).isEqualTo(new RespRequest.Violation(
                "Protocol error: the request is larger than 150 bytes"));
    }

    @Test
    void theUnauthenticatedLimitsApplyOnlyUntilTheClientIsTrusted() {
        trusted.set(false);
        EmbeddedChannel channel = channel(RespLimits.of(Limits.DEFAULTS));
        channel.writeInbound(Unpooled.wrappedBuffer("*10\r\n".getBytes(US_ASCII)));
        assertThat(decoded(channel)).isEmpty();
        channel = channel(RespLimits.of(Limits.DEFAULTS));
        channel.writeInbound(Unpooled.wrappedBuffer("*11\r\n".getBytes(US_ASCII)));
        assertThat(decoded(channel)).containsExactly(
                new RespRequest.Violation("Protocol error: unauthenticated multibulk length"));
        trusted.set(true);
        channel = channel(RespLimits.of(Limits.DEFAULTS));
        channel.writeInbound(Unpooled.wrappedBuffer("*11\r\n".getBytes(US_ASCII)));
        assertThat(decoded(channel)).isEmpty();
    }

    @Test
    void requestLimitsFollowTheNodesValueLimit() {
        RespLimits small = RespLimits.of(new Limits(1024, 1 << 20));
        assertThat(small.maxBulkBytes()).isEqualTo(1 << 20);
        assertThat(small.maxRequestBytes()).isEqualTo(RespLimits.MIN_REQUEST_BYTES);
        RespLimits large = RespLimits.of(new Limits(1024, 64 << 20));
        assertThat(large.maxRequestBytes()).isEqualTo(16L * ((64 << 20) + 1024));
    }
}
