package io.ringcache.node.config;

import io.ringcache.node.discovery.DiscoverySettings;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.HttpOriginLoader;
import io.ringcache.node.group.Limits;
import io.ringcache.node.handoff.HandoffSettings;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerSettings;
import io.ringcache.node.resp.RespSettings;
import io.ringcache.node.ring.RingHash;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EvictionPolicyName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@link NodeSettings} from flat configuration ({@code ringcache.*} keys), checking every value.
 * The first wrong value stops start-up with a {@link ConfigException} naming its key; a key under
 * {@code ringcache.} that is not a setting is an error too, so a typo never goes unnoticed.
 * With no group configured the node has the group {@code default}; configured groups replace it.
 */
public final class NodeSettingsParser {

    /** Room in a peer frame for everything but the key and the value: ids, group name, expiry, framing. */
    private static final int PEER_FRAME_OVERHEAD = 1024;
    /** More RESP threads than this only adds switching on any machine this runs on. */
    private static final int MAX_RESP_EVENT_LOOPS = 256;
    /** The largest size an {@code int} setting takes, as documented; it leaves room in an int for a frame's overhead. */
    private static final long MAX_INT_SIZE = 2047L << 20;
    /** {@code host:port}: the host's characters are those of names and IP addresses; the port is its last digits. */
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9._%:\\[\\]-]+:(\\d{1,5})");

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
        // By name: Quarkus lists property names in no defined order (not as written), and the first group is the
        // RESP group when none is named.
        Set<String> groupNames = new TreeSet<>();
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
        Limits limits = new Limits(maxKeyBytes, maxValueBytes);
        PeerSettings peer = peer(limits);
        return new NodeSettings(limits, groups, sweep, peer,
                new RingSettings(ringHash(), integer(SettingKey.RING_VNODES, 1, 10_000)),
                integer(SettingKey.BACKUPS, 0, NodeSettings.MAX_BACKUPS), hotKeys(), handoff(peer), discovery(),
                positiveDuration(SettingKey.SHUTDOWN_GRACE), resp(groups));
    }

    private PeerSettings peer(Limits limits) {
        int maxFrameBytes = intSize(SettingKey.PEER_MAX_FRAME_BYTES);
        // Checked before PeerSettings sees it, so that a small frame is refused naming its key (the bound is above
        // PeerSettings' own minimum). In longs: two limits near 2047M add up past an int and would wrap around.
        if (maxFrameBytes < (long) limits.maxValueBytes() + limits.maxKeyBytes() + PEER_FRAME_OVERHEAD) {
            throw new ConfigException(SettingKey.PEER_MAX_FRAME_BYTES.key(), "must be at least ringcache.max-value-bytes"
                    + " + ringcache.max-key-bytes + " + PEER_FRAME_OVERHEAD + " so that every value fits a peer frame");
        }
        return new PeerSettings(text(SettingKey.PEER_HOST), port(SettingKey.PEER_PORT),
                positiveDuration(SettingKey.PEER_TIMEOUT), integer(SettingKey.PEER_CONNECTIONS, 1, 64), maxFrameBytes);
    }

    private HotKeySettings hotKeys() {
        return new HotKeySettings(bool(SettingKey.HOT_KEYS_ENABLED),
                integer(SettingKey.HOT_KEYS_THRESHOLD, 1, Integer.MAX_VALUE), positiveDuration(SettingKey.HOT_KEYS_TTL),
                fraction(SettingKey.HOT_KEYS_BUDGET_FRACTION));
    }

    private HandoffSettings handoff(PeerSettings peer) {
        HandoffSettings handoff = new HandoffSettings(intSize(SettingKey.HANDOFF_BATCH_BYTES),
                size(SettingKey.HANDOFF_BYTES_PER_SECOND));
        if (handoff.batchBytes() > peer.maxFrameBytes() - PEER_FRAME_OVERHEAD) {
            throw new ConfigException(SettingKey.HANDOFF_BATCH_BYTES.key(), "must be at most ringcache.peer-max-frame-bytes"
                    + " - " + PEER_FRAME_OVERHEAD + " so that a batch fits a peer frame");
        }
        return handoff;
    }

    private RespSettings resp(List<GroupSettings> groups) {
        return new RespSettings(bool(SettingKey.RESP_ENABLED), text(SettingKey.RESP_HOST), port(SettingKey.RESP_PORT),
                respGroup(groups), optionalText(SettingKey.RESP_PASSWORD),
                integer(SettingKey.RESP_EVENT_LOOPS, RespSettings.AUTOMATIC, MAX_RESP_EVENT_LOOPS));
    }

    private DiscoverySettings discovery() {
        String modeKey = SettingKey.DISCOVERY.key();
        String modeText = text(SettingKey.DISCOVERY);
        DiscoverySettings.Mode mode = Arrays.stream(DiscoverySettings.Mode.values())
                .filter(m -> m.configName().equals(modeText.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new ConfigException(modeKey, "'" + modeText + "' is not a discovery mode; use "
                        + "auto, static or kubernetes"));
        Optional<String> self = optionalText(SettingKey.SELF).map(s -> member(SettingKey.SELF.key(), s));
        List<String> peers = optionalText(SettingKey.PEERS).stream()
                .flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> member(SettingKey.PEERS.key(), s))
                .toList();
        if (!peers.isEmpty() && self.isEmpty()) {
            throw new ConfigException(SettingKey.SELF.key(), "is required with ringcache.peers: set it to this node's "
                    + "own host:port as the other nodes list it");
        }
        Optional<String> service = optionalText(SettingKey.DISCOVERY_SERVICE);
        if (mode == DiscoverySettings.Mode.KUBERNETES && service.isEmpty()) {
            throw new ConfigException(SettingKey.DISCOVERY_SERVICE.key(), "is required with ringcache.discovery="
                    + "kubernetes: set it to the headless Service whose EndpointSlices list the nodes");
        }
        return new DiscoverySettings(mode, self, peers, service);
    }

    /**
     * A member id: {@code host:port} with a port from 1 to 65535. The host is a name or an IP address (IPv6 with or
     * without brackets, as Kubernetes discovery writes it), so that peers separated by spaces or semicolons instead of
     * commas, or written as URLs, stop start-up instead of becoming one member no node can reach.
     */
    private static String member(String key, String text) {
        String s = text.trim();
        Matcher m = MEMBER.matcher(s);
        if (m.matches()) {
            int port = Integer.parseInt(m.group(1));
            if (port >= 1 && port <= 65535) {
                return s;
            }
        }
        throw new ConfigException(key, "'" + text + "' is not host:port (e.g. 10.0.0.7:7100)");
    }

    /** The configured RESP group, else {@code default} if it exists, else the first group by name. */
    private String respGroup(List<GroupSettings> groups) {
        List<String> names = groups.stream().map(GroupSettings::name).toList();
        Optional<String> configured = optionalText(SettingKey.RESP_GROUP);
        if (configured.isEmpty()) {
            return names.contains(GroupSettings.DEFAULT_NAME) ? GroupSettings.DEFAULT_NAME : names.get(0);
        }
        if (!names.contains(configured.get())) {
            throw new ConfigException(SettingKey.RESP_GROUP.key(), "'" + configured.get()
                    + "' is not a configured group; groups: " + names);
        }
        return configured.get();
    }

    private RingHash ringHash() {
        try {
            return RingHash.named(text(SettingKey.RING_HASH));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SettingKey.RING_HASH.key(), e.getMessage());
        }
    }

    /** The configured value, else the documented default, trimmed. */
    private String text(SettingKey key) {
        return lookup.apply(key.key()).map(String::trim).orElse(key.defaultValue());
    }

    /** The configured value, or empty when unset, blank or {@code none}. */
    private Optional<String> optionalText(SettingKey key) {
        return Optional.of(text(key)).filter(s -> !s.isEmpty() && !s.equals("none"));
    }

    /**
     * The trimmed value of a key whose documented default is {@code none}, or empty when it is unset, blank or
     * {@code none}, so that writing the default out changes nothing.
     */
    private Optional<String> unlessNone(String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none"));
    }

    private boolean bool(SettingKey key) {
        String v = text(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key.key(), "'" + v + "' is not a boolean; use true or false");
        };
    }

    private int integer(SettingKey key, int min, int max) {
        String v = text(key);
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key.key(), "'" + v + "' must be a whole number from " + min + " to " + max);
    }

    private int port(SettingKey key) {
        return integer(key, 0, 65535);
    }

    private double fraction(SettingKey key) {
        String v = text(key);
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key.key(), "'" + v + "' must be a fraction above 0 and at most 1, e.g. 0.125");
    }

    private long size(SettingKey key) {
        long bytes = Sizes.parse(key.key(), text(key));
        if (bytes <= 0) {
            throw new ConfigException(key.key(), "must be larger than zero");
        }
        return bytes;
    }

    private Duration positiveDuration(SettingKey key) {
        return Durations.parsePositive(key.key(), text(key));
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
                    + "' is not a group name; use lowercase letters, digits and dashes, starting and ending with a letter or"
                    + " digit, at most 63 characters");
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
        String ttlKey = SettingKey.GROUP_TTL.forGroup(name);
        Optional<Duration> ttl = unlessNone(ttlKey).map(v -> Durations.parsePositive(ttlKey, v));
        String originKey = SettingKey.GROUP_ORIGIN.forGroup(name);
        Optional<String> origin = unlessNone(originKey);
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
        if (bytes <= 0 || bytes > MAX_INT_SIZE) {
            throw new ConfigException(key.key(), "must be between 1 and " + Sizes.format(MAX_INT_SIZE));
        }
        return (int) bytes;
    }

    private Optional<Duration> duration(String key) {
        return lookup.apply(key).map(v -> Durations.parsePositive(key, v));
    }
}
