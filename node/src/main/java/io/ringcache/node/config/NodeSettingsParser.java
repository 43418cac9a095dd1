package io.ringcache.node.config;

import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.HttpOriginLoader;
import io.ringcache.node.group.Limits;
import io.ringcache.node.store.EvictionPolicyName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@link NodeSettings} from flat configuration ({@code ringcache.*} keys), checking every value.
 * The first wrong value stops start-up with a {@link ConfigException} naming its key; a key under
 * {@code ringcache.} that is not a setting is an error too, so a typo never goes unnoticed.
 * With no group configured the node has the group {@code default}; configured groups replace it.
 */
public final class NodeSettingsParser {

    private static final Set<String> GROUP_SETTINGS = Arrays.stream(SettingKey.values())
            .filter(SettingKey::isGroupKey).map(SettingKey::groupSetting)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private final Function<String, Optional<String>> lookup;

    private NodeSettingsParser(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /**
     * @param lookup the value of a key, if set (Quarkus configuration, a map, system properties)
     * @param propertyNames every configured key name; group names are discovered from them
     */
    public static NodeSettings parse(Function<String, Optional<String>> lookup, Iterable<String> propertyNames) {
        return new NodeSettingsParser(lookup).parse(propertyNames);
    }

    private NodeSettings parse(Iterable<String> propertyNames) {
        Set<String> groupNames = new LinkedHashSet<>();
        for (String name : propertyNames) {
            if (name.startsWith(SettingKey.GROUPS_PREFIX)) {
                groupNames.add(groupNameOf(name));
            } else if (name.startsWith("ringcache.") && !isNodeKey(name)) {
                throw new ConfigException(name, "is not a ringcache setting; see docs/configuration.md");
            }
        }
        int maxKeyBytes = intSize(SettingKey.MAX_KEY_BYTES);
        int maxValueBytes = intSize(SettingKey.MAX_VALUE_BYTES);
        Duration sweep = duration(SettingKey.EXPIRY_SWEEP_INTERVAL.key())
                .orElse(NodeSettings.DEFAULT_EXPIRY_SWEEP_INTERVAL);
        List<GroupSettings> groups = new ArrayList<>();
        for (String name : groupNames) {
            groups.add(group(name));
        }
        if (groups.isEmpty()) {
            groups.add(GroupSettings.defaults(GroupSettings.DEFAULT_NAME));
        }
        return new NodeSettings(new Limits(maxKeyBytes, maxValueBytes), groups, sweep);
    }

    private static boolean isNodeKey(String name) {
        return Arrays.stream(SettingKey.values()).anyMatch(k -> !k.isGroupKey() && k.key().equals(name));
    }

    private static String groupNameOf(String key) {
        String rest = key.substring(SettingKey.GROUPS_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        String setting = dot < 0 ? "" : rest.substring(dot + 1);
        if (!GROUP_SETTINGS.contains(setting)) {
            throw new ConfigException(key, "is not a group setting; use ringcache.groups.<name>.{"
                    + String.join(",", GROUP_SETTINGS) + "}");
        }
        if (!GroupSettings.isValidName(name)) {
            throw new ConfigException(key, "'" + name
                    + "' is not a group name; use lowercase letters, digits and dashes, at most 63 characters");
        }
        return name;
    }

    private GroupSettings group(String name) {
        String maxBytesKey = SettingKey.GROUP_MAX_BYTES.forGroup(name);
        long maxBytes = lookup.apply(maxBytesKey).map(v -> Sizes.parse(maxBytesKey, v))
                .orElse(GroupSettings.DEFAULT_MAX_BYTES);
        if (maxBytes <= 0) {
            throw new ConfigException(maxBytesKey, "must be larger than zero");
        }
        String evictionKey = SettingKey.GROUP_EVICTION.forGroup(name);
        EvictionPolicyName eviction = lookup.apply(evictionKey).map(v -> {
            try {
                return EvictionPolicyName.parse(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(evictionKey, e.getMessage());
            }
        }).orElse(GroupSettings.DEFAULT_EVICTION);
        Optional<Duration> ttl = duration(SettingKey.GROUP_TTL.forGroup(name));
        String originKey = SettingKey.GROUP_ORIGIN.forGroup(name);
        Optional<String> origin = lookup.apply(originKey).map(String::trim).filter(s -> !s.isEmpty());
        origin.ifPresent(template -> {
            try {
                HttpOriginLoader.checkTemplate(template);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(originKey, e.getMessage());
            }
        });
        Duration loadTimeout = duration(SettingKey.GROUP_LOAD_TIMEOUT.forGroup(name))
                .orElse(GroupSettings.DEFAULT_LOAD_TIMEOUT);
        return new GroupSettings(name, maxBytes, eviction, ttl, origin, loadTimeout);
    }

    private int intSize(SettingKey key) {
        long bytes = Sizes.parse(key.key(), lookup.apply(key.key()).orElse(key.defaultValue()));
        if (bytes <= 0 || bytes > Integer.MAX_VALUE - 1024) {
            throw new ConfigException(key.key(), "must be between 1 and 2047M");
        }
        return (int) bytes;
    }

    private Optional<Duration> duration(String key) {
        return lookup.apply(key).map(v -> Durations.parsePositive(key, v));
    }
}
