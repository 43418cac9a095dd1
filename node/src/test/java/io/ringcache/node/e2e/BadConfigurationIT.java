package io.ringcache.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged node refuses to start on a wrong setting, and its log says which key and what to write instead. */
class BadConfigurationIT {

    private static final Duration EXIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ringcache.groups.items.max-bytes | 64X   | ringcache.groups.items.max-bytes: '64X' is not a size; use bytes or a suffix K, M, G (e.g. 64M)",
            "ringcache.groups.items.eviction  | arc   | ringcache.groups.items.eviction: 'arc' is not an eviction policy; use one of tinylfu, lru, lfu, fifo, lru2",
            "ringcache.groups.items.ttl       | soon  | ringcache.groups.items.ttl: 'soon' is not a duration",
            "ringcache.max-value-byte         | 4M    | ringcache.max-value-byte: is not a ringcache setting",
            "ringcache.groups.items.origin    | http://catalog/${key} | ringcache.groups.items.origin: 'http://catalog/${key}' refers to a setting that is not set",
    })
    void badConfigurationStopsStartUpWithAMessageNamingTheKey(String key, String value, String message)
            throws Exception {
        try (NodeProcess node = NodeProcess.start("bad-config-" + key, NodeProcess.freePorts(),
                Map.of("ringcache.discovery", "static", key, value))) {
            assertThat(node.awaitExit(EXIT)).as("exit code").isNotZero();
            assertThat(node.logText()).contains(message);
        }
    }
}
