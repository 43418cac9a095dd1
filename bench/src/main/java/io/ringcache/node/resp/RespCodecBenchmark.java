package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The RESP codec ringcache uses (its hand-written {@link RespRequestDecoder} and {@link ReplyEncoder}) against the
 * peer, Netty's {@code netty-codec-redis} ({@link RedisDecoder} with its bulk-string and array aggregators, and
 * {@link RedisEncoder}), each in a Netty pipeline ({@link EmbeddedChannel}), doing the same work:
 *
 * <ul>
 *   <li>{@code decode}: one read of {@code pipeline} requests as redis-benchmark sends them (alternately
 *       {@code GET key:NNNNNNNNNNNN} and {@code SET key:NNNNNNNNNNNN <100 bytes>}) into argument arrays
 *       ({@code byte[][]}), which is what a command needs; for Netty that means converting its aggregated
 *       {@link ArrayRedisMessage} and releasing it.</li>
 *   <li>{@code encode}: {@code pipeline} 100-byte bulk replies written and flushed as one batch.</li>
 * </ul>
 * One operation is one batch; commands per second are operations times {@code pipeline}.
 *
 * <p>It lives in the node's package because the codec classes are package-private there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RespCodecBenchmark {

    public static final String NETTY = "netty-codec-redis";
    public static final String RINGCACHE = "ringcache";
    private static final int VALUE_BYTES = 100;

    @Param({NETTY, RINGCACHE})
    public String codec;

    @Param({"1", "16"})
    public int pipeline;

    private ByteBuf requests;
    private byte[] value;
    private EmbeddedChannel decoding;
    private EmbeddedChannel encoding;

    @Setup(Level.Trial)
    public void setUp() {
        value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < pipeline; i++) {
            String key = String.format("key:%012d", 1_000_003L * i % 100_000);
            if (i % 2 == 0) {
                wire.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
            } else {
                wire.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
                        .append(VALUE_BYTES).append("\r\n").append("x".repeat(VALUE_BYTES)).append("\r\n");
            }
        }
        requests = Unpooled.directBuffer().writeBytes(wire.toString().getBytes(StandardCharsets.US_ASCII));
        if (codec.equals(NETTY)) {
            decoding = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
                    new NettyArguments());
            encoding = new EmbeddedChannel(new RedisEncoder());
        } else {
            decoding = new EmbeddedChannel(new RespRequestDecoder(new RespLimits(1 << 20, RespLimits.MAX_ARGUMENTS,
                    RespLimits.MIN_REQUEST_BYTES), () -> true));
            encoding = new EmbeddedChannel(new ReplyEncoder());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoding.finishAndReleaseAll();
        encoding.finishAndReleaseAll();
        requests.release();
    }

    @Benchmark
    public void decode(Blackhole blackhole) {
        decoding.writeInbound(requests.retainedDuplicate());
        Object request;
        while ((request = decoding.readInbound()) != null) {
            blackhole.consume(request);
        }
    }

    @Benchmark
    public void encode(Blackhole blackhole) {
        if (codec.equals(NETTY)) {
            for (int i = 0; i < pipeline; i++) {
                encoding.write(new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(value)));
            }
            encoding.flush();
        } else {
            ReplyBatch batch = new ReplyBatch();
            for (int i = 0; i < pipeline; i++) {
                batch.add(new Reply.Bulk(value), false);
            }
            encoding.writeAndFlush(batch);
        }
        ByteBuf out;
        while ((out = encoding.readOutbound()) != null) {
            blackhole.consume(out.readableBytes());
            out.release();
        }
    }

    /** Netty's aggregated request to the arguments a command takes, releasing the message. */
    private static final class NettyArguments extends MessageToMessageDecoder<RedisMessage> {
        @Override
        protected void decode(ChannelHandlerContext ctx, RedisMessage message, List<Object> out) {
            List<RedisMessage> children = ((ArrayRedisMessage) message).children();
            byte[][] arguments = new byte[children.size()][];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = ByteBufUtil.getBytes(((FullBulkStringRedisMessage) children.get(i)).content());
            }
            out.add(arguments);
        }
    }
}
