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
    PEER_HOST("ringcache.peer-host", "0.0.0.0"),
    PEER_PORT("ringcache.peer-port", "7100"),
    PEER_TIMEOUT("ringcache.peer-timeout", "2s"),
    PEER_CONNECTIONS("ringcache.peer-connections", "2"),
    PEER_MAX_FRAME_BYTES("ringcache.peer-max-frame-bytes", "8M"),
    RING_HASH("ringcache.ring.hash", "xxh3"),
    RING_VNODES("ringcache.ring.vnodes", "160"),
    BACKUPS("ringcache.backups", "0"),
    HOT_KEYS_ENABLED("ringcache.hot-keys.enabled", "true"),
    HOT_KEYS_THRESHOLD("ringcache.hot-keys.threshold", "100"),
    HOT_KEYS_TTL("ringcache.hot-keys.ttl", "5s"),
    HOT_KEYS_BUDGET_FRACTION("ringcache.hot-keys.budget-fraction", "0.125"),
    HANDOFF_BATCH_BYTES("ringcache.handoff.batch-bytes", "1M"),
    HANDOFF_BYTES_PER_SECOND("ringcache.handoff.bytes-per-second", "64M"),
    DISCOVERY("ringcache.discovery", "auto"),
    SELF("ringcache.self", "none"),
    PEERS("ringcache.peers", "none"),
    DISCOVERY_SERVICE("ringcache.discovery.service", "none"),
    SHUTDOWN_GRACE("ringcache.shutdown.grace", "25s"),
    RESP_ENABLED("ringcache.resp.enabled", "true"),
    RESP_HOST("ringcache.resp.host", "0.0.0.0"),
    RESP_PORT("ringcache.resp.port", "6379"),
    RESP_GROUP("ringcache.resp.group", "none"),
    RESP_PASSWORD("ringcache.resp.password", "none"),
    RESP_EVENT_LOOPS("ringcache.resp.event-loops", "0"),
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
