package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.config.NodeSettingsParser;
import io.ringcache.node.group.GroupSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WrittenKeysTest {

    private static SmallRyeConfig config(Map<String, String> environment, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .build();
    }

    private static NodeSettings parse(SmallRyeConfig config) {
        return NodeSettingsParser.parse(key -> config.getOptionalValue(key, String.class), WrittenKeys.of(config));
    }

    @Test
    void documentedEnvironmentVariableSetsItsKey() {
        NodeSettings settings = parse(config(Map.of("RINGCACHE_MAX_VALUE_BYTES", "4M"), Map.of()));
        assertThat(settings.limits().maxValueBytes()).isEqualTo(4 << 20);
    }

    @Test
    void serviceVariablesKubernetesInjectsDoNotStopTheNode() {
        Map<String, String> environment = Map.of(
                "RINGCACHE_SERVICE_HOST", "10.96.0.12",
                "RINGCACHE_SERVICE_PORT_HTTP", "8080",
                "RINGCACHE_PORT", "tcp://10.96.0.12:8080",
                "RINGCACHE_PORT_8080_TCP_ADDR", "10.96.0.12");
        NodeSettings settings = parse(config(environment, Map.of("ringcache.groups.items.max-bytes", "1M")));
        assertThat(settings.groups()).extracting(GroupSettings::name).containsExactly("items");
    }

    @Test
    void keysFromFilesAreStillChecked() {
        assertThat(WrittenKeys.of(config(Map.of("RINGCACHE_SERVICE_HOST", "10.96.0.12"),
                Map.of("ringcache.max-valu-bytes", "4M"))))
                .contains("ringcache.max-valu-bytes")
                .doesNotContain("ringcache.service.host", "RINGCACHE_SERVICE_HOST");
    }
}
