package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.config.ConfigException;
import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.config.NodeSettingsParser;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WrittenValuesTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .addDefaultInterceptors()
                .build();
    }

    private static NodeSettings parse(Map<String, String> properties) {
        SmallRyeConfig config = config(properties);
        return NodeSettingsParser.parse(WrittenValues.of(config), WrittenKeys.of(config));
    }

    /**
     * The configuration expands {@code ${name}}; one that names no setting made the key read as unset, so an origin
     * written {@code ${key}} gave a group that answered every miss "not found" without asking the origin.
     */
    @Test
    void aValueWhoseExpressionNamesNoSettingStopsStartUpNamingItsKey() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.products.origin", "http://catalog/items/${key}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.groups.products.origin: 'http://catalog/items/${key}' refers to a"
                        + " setting that is not set");
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.max-bytes", "1M",
                "ringcache.groups.items.ttl", "${items.ttl}")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.groups.items.ttl: '${items.ttl}'");
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-bytes", "${size}")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.max-value-bytes: '${size}'");
    }

    @Test
    void anExpressionThatResolvesIsItsValue() {
        NodeSettings settings = parse(Map.of("items.ttl", "30s", "ringcache.groups.items.ttl", "${items.ttl}"));
        assertThat(settings.groups().get(0).defaultTtl()).contains(Duration.ofSeconds(30));
        assertThat(parse(Map.of()).limits().maxValueBytes()).isEqualTo(1 << 20);
    }
}
