package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.store.EvictionPolicyName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeSettingsParserTest {

    private static NodeSettings parse(Map<String, String> properties) {
        return NodeSettingsParser.parse(key -> Optional.ofNullable(properties.get(key)), properties.keySet());
    }

    @Test
    void noConfigurationMeansOneDefaultGroupOf64MiBWithTinyLfu() {
        NodeSettings settings = parse(Map.of("quarkus.http.port", "8080"));
        assertThat(settings.groups()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("default");
            assertThat(g.maxBytes()).isEqualTo(64L << 20);
            assertThat(g.eviction()).isEqualTo(EvictionPolicyName.TINYLFU);
            assertThat(g.defaultTtl()).isEmpty();
            assertThat(g.origin()).isEmpty();
            assertThat(g.loadTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(settings.limits().maxKeyBytes()).isEqualTo(1024);
        assertThat(settings.limits().maxValueBytes()).isEqualTo(1 << 20);
        assertThat(settings.expirySweepInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void configuredGroupsReplaceTheDefaultGroupInConfigurationOrder() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ringcache.groups.items.max-bytes", "16M");
        p.put("ringcache.groups.items.eviction", "LRU2");
        p.put("ringcache.groups.items.ttl", "PT30S");
        p.put("ringcache.groups.users.origin", "http://127.0.0.1:9000/users/{key}");
        p.put("ringcache.groups.users.load-timeout", "750ms");
        p.put("ringcache.max-key-bytes", "256");
        p.put("ringcache.max-value-bytes", "4M");
        NodeSettings settings = parse(p);
        assertThat(settings.groups()).extracting(GroupSettings::name).containsExactly("items", "users");
        GroupSettings items = settings.groups().get(0);
        assertThat(items.maxBytes()).isEqualTo(16L << 20);
        assertThat(items.eviction()).isEqualTo(EvictionPolicyName.LRU2);
        assertThat(items.defaultTtl()).contains(Duration.ofSeconds(30));
        GroupSettings users = settings.groups().get(1);
        assertThat(users.origin()).contains("http://127.0.0.1:9000/users/{key}");
        assertThat(users.loadTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(users.maxBytes()).isEqualTo(64L << 20);
        assertThat(settings.limits().maxKeyBytes()).isEqualTo(256);
        assertThat(settings.limits().maxValueBytes()).isEqualTo(4 << 20);
    }

    @Test
    void badSizeStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.max-bytes", "64X")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.groups.items.max-bytes: '64X' is not a size; use bytes or a suffix K, M, G (e.g. 64M)");
    }

    @Test
    void zeroBudgetIsRefused() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.max-bytes", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.groups.items.max-bytes: must be larger than zero");
    }

    @Test
    void unknownEvictionPolicyNamesTheChoices() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.eviction", "arc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.groups.items.eviction: 'arc' is not an eviction policy; use one of tinylfu, lru, lfu, fifo, lru2");
    }

    @Test
    void originWithoutPlaceholderOrSchemeIsRefused() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.origin", "http://origin/items")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.groups.items.origin: ")
                .hasMessageContaining("no {key} placeholder");
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.origin", "ftp://origin/{key}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not an absolute http or https URL");
    }

    @Test
    void badTtlAndTimeoutAreRefused() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.ttl", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.groups.items.ttl: 'soon' is not a duration");
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.load-timeout", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.groups.items.load-timeout: '0' must be longer than zero");
    }

    @Test
    void typoInAGroupSettingIsAnError() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.max-byte", "1M")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.groups.items.max-byte: is not a group setting; use ringcache.groups.<name>.{max-bytes,eviction,ttl,origin,load-timeout}");
    }

    @Test
    void typoInANodeSettingIsAnError() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-byte", "1M")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.max-value-byte: is not a ringcache setting");
    }

    @Test
    void invalidGroupNameIsRefused() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.Bad_Name.max-bytes", "1M")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'Bad_Name' is not a group name");
    }

    @Test
    void limitsMustFitAnInt() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-bytes", "4G")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.max-value-bytes: must be between 1 and 2047M");
    }
}
