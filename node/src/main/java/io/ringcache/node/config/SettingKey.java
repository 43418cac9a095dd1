package io.ringcache.node.config;

/**
 * Every {@code ringcache.*} configuration key a node reads, with its default as documented in
 * {@code docs/configuration.md} (a test keeps the two equal). Group keys are written with
 * {@code <name>} standing for the group's name.
 */
public enum SettingKey {
    MAX_KEY_BYTES("ringcache.max-key-bytes", "1K"),
    MAX_VALUE_BYTES("ringcache.max-value-bytes", "1M"),
    EXPIRY_SWEEP_INTERVAL("ringcache.expiry-sweep-interval", "1s"),
    GROUP_MAX_BYTES("ringcache.groups.<name>.max-bytes", "64M"),
    GROUP_EVICTION("ringcache.groups.<name>.eviction", "tinylfu"),
    GROUP_TTL("ringcache.groups.<name>.ttl", "none"),
    GROUP_ORIGIN("ringcache.groups.<name>.origin", "none"),
    GROUP_LOAD_TIMEOUT("ringcache.groups.<name>.load-timeout", "5s");

    static final String GROUPS_PREFIX = "ringcache.groups.";

    private final String key;
    private final String defaultValue;

    SettingKey(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    /** The key as documented; group keys contain {@code <name>}. */
    public String key() {
        return key;
    }

    /** The default as documented; {@code none} means unset. */
    public String defaultValue() {
        return defaultValue;
    }

    boolean isGroupKey() {
        return key.startsWith(GROUPS_PREFIX);
    }

    /** The last part of a group key, e.g. {@code max-bytes}. */
    String groupSetting() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The full key for group {@code name}. */
    String forGroup(String name) {
        return key.replace("<name>", name);
    }
}
