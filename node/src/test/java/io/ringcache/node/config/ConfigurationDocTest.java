package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the contract between operator and node: it must list exactly the keys the node reads. */
class ConfigurationDocTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(ringcache\\.[^`]+)`\\s*\\|\\s*`([^`]*)`\\s*\\|");

    @Test
    void everyNodeSettingIsDocumentedWithItsDefaultAndNothingElseIs() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("configuration.md");
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.put(m.group(1), m.group(2));
            }
        }
        Map<String, String> read = Arrays.stream(SettingKey.values())
                .collect(Collectors.toMap(SettingKey::key, SettingKey::defaultValue, (a, b) -> a, LinkedHashMap::new));
        assertThat(documented).isEqualTo(read);
    }

    /**
     * Writing every documented default out explicitly, {@code none} included, must configure exactly what leaving
     * the keys unset does.
     */
    @Test
    void documentedDefaultsAreWhatTheNodeUsesForUnsetKeys() {
        Map<String, String> explicit = new LinkedHashMap<>();
        for (SettingKey key : SettingKey.values()) {
            explicit.put(key.forGroup("items"), key.defaultValue());
        }
        // The fewest keys that still name the group: one group key, here the policy, set to its default.
        Map<String, String> implicit = Map.of(SettingKey.GROUP_EVICTION.forGroup("items"),
                SettingKey.GROUP_EVICTION.defaultValue());

        assertThat(parse(explicit)).isEqualTo(parse(implicit));
        assertThat(parse(Map.of())).isEqualTo(NodeSettings.defaults());
    }

    private static NodeSettings parse(Map<String, String> properties) {
        return NodeSettingsParser.parse(key -> Optional.ofNullable(properties.get(key)), properties.keySet());
    }
}
