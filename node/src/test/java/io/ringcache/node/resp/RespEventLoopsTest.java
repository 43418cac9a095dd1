package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.core.CacheNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** {@code ringcache.resp.event-loops=1}: one thread serves every connection, each in its own order. */
class RespEventLoopsTest {

    private CacheNode node;

    @BeforeEach
    void start() {
        node = RespTestNodes.start(Map.of("ringcache.resp.event-loops", "1"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void oneLoopServesManyConnectionsWithPipelinesInterleaved() {
        List<Jedis> clients = new ArrayList<>();
        try {
            List<Pipeline> pipelines = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Jedis client = new Jedis("127.0.0.1", node.respPort());
                clients.add(client);
                Pipeline pipeline = client.pipelined();
                for (int i = 0; i < 100; i++) {
                    pipeline.set("c" + c + ":" + i, "v" + i);
                    pipeline.incr("counter");
                }
                pipelines.add(pipeline);
            }
            for (Pipeline pipeline : pipelines) {
                pipeline.sync();
            }

            assertThat(clients.get(0).get("counter")).isEqualTo("400");
            for (int c = 0; c < 4; c++) {
                assertThat(clients.get(c).get("c" + c + ":99")).isEqualTo("v99");
            }
        } finally {
            clients.forEach(Jedis::close);
        }
    }
}
