package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.discovery.DiscoverySettings;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.handoff.HandoffSettings;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerSettings;
import io.ringcache.node.resp.RespSettings;
import io.ringcache.node.ring.RingHash;
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
    void configuredGroupsReplaceTheDefaultGroupInNameOrder() {
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
    void durationTooLongForTheClocksStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.peer-timeout", "PT9223372036854775807S")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.peer-timeout: 'PT9223372036854775807S' is too long");
        assertThatThrownBy(() -> parse(Map.of("ringcache.groups.items.ttl", "PT0.0005S")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.groups.items.ttl: 'PT0.0005S' is shorter than a millisecond");
    }

    @Test
    void groupTtlAndOriginOfNoneAreUnsetAsDocumented() {
        GroupSettings items = parse(Map.of("ringcache.groups.items.ttl", "none",
                "ringcache.groups.items.origin", " none ")).groups().get(0);
        assertThat(items.defaultTtl()).isEmpty();
        assertThat(items.origin()).isEmpty();
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
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-bytes", Long.toString((2047L << 20) + 1))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.max-value-bytes: must be between 1 and 2047M");
    }

    @Test
    void clusterSettingsHaveTheDocumentedDefaults() {
        NodeSettings settings = parse(Map.of());
        assertThat(settings.peer()).isEqualTo(new PeerSettings("0.0.0.0", 7100, Duration.ofSeconds(2), 2, 8 << 20));
        assertThat(settings.ring().hash()).isSameAs(RingHash.XXH3);
        assertThat(settings.ring().vnodes()).isEqualTo(160);
        assertThat(settings.backups()).isZero();
        assertThat(settings.hotKeys()).isEqualTo(new HotKeySettings(true, 100, Duration.ofSeconds(5), 0.125));
        assertThat(settings.handoff()).isEqualTo(new HandoffSettings(1 << 20, 64L << 20));
        assertThat(settings.discovery()).isEqualTo(DiscoverySettings.DEFAULTS);
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(settings.resp()).isEqualTo(new RespSettings(true, "0.0.0.0", 6379, "default", Optional.empty(), 0));
    }

    @Test
    void staticMembersAreReadAndChecked() {
        NodeSettings settings = parse(Map.of("ringcache.discovery", "static", "ringcache.self", "10.0.0.1:7100",
                "ringcache.peers", " 10.0.0.1:7100, 10.0.0.2:7100,,10.0.0.3:7101 "));
        assertThat(settings.discovery().mode()).isEqualTo(DiscoverySettings.Mode.STATIC);
        assertThat(settings.discovery().self()).contains("10.0.0.1:7100");
        assertThat(settings.discovery().peers()).containsExactly("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7101");

        assertThatThrownBy(() -> parse(Map.of("ringcache.peers", "10.0.0.2:7100")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.self: is required with ringcache.peers");
        assertThatThrownBy(() -> parse(Map.of("ringcache.self", "10.0.0.1", "ringcache.peers", "10.0.0.2:7100")))
                .isInstanceOf(ConfigException.class).hasMessage("ringcache.self: '10.0.0.1' is not host:port (e.g. 10.0.0.7:7100)");
        assertThatThrownBy(() -> parse(Map.of("ringcache.self", "a:1", "ringcache.peers", "b:70000")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.peers: 'b:70000' is not host:port");
        // A list separated by anything but commas, or a URL, is no member: it was taken as one unreachable member.
        for (String peers : new String[] {"10.0.0.2:7100 10.0.0.3:7100", "10.0.0.2:7100;10.0.0.3:7100",
            "http://10.0.0.2:7100", "10.0.0.2:+7100"}) {
            assertThatThrownBy(() -> parse(Map.of("ringcache.self", "a:1", "ringcache.peers", peers)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("ringcache.peers: '" + peers + "' is not host:port");
        }
        assertThat(parse(Map.of("ringcache.self", "node-0.peers.svc:7100",
                "ringcache.peers", "fd00::1:7100,[fd00::2]:7100")).discovery().peers())
                .containsExactly("fd00::1:7100", "[fd00::2]:7100");
        assertThatThrownBy(() -> parse(Map.of("ringcache.discovery", "dns")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.discovery: 'dns' is not a discovery mode; use auto, static or kubernetes");
        assertThatThrownBy(() -> parse(Map.of("ringcache.discovery", "kubernetes")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.discovery.service: is required");
    }

    @Test
    void ringBackupsAndHotKeySettingsAreRangeChecked() {
        NodeSettings settings = parse(Map.of("ringcache.ring.hash", "crc32", "ringcache.ring.vnodes", "50",
                "ringcache.backups", "2", "ringcache.hot-keys.threshold", "10", "ringcache.hot-keys.enabled", "false"));
        assertThat(settings.ring().hash()).isSameAs(RingHash.CRC32);
        assertThat(settings.ring().vnodes()).isEqualTo(50);
        assertThat(settings.backups()).isEqualTo(2);
        assertThat(settings.hotKeys().thresholdPerSecond()).isEqualTo(10);
        assertThat(settings.hotKeys().enabled()).isFalse();

        assertThatThrownBy(() -> parse(Map.of("ringcache.backups", "3")))
                .isInstanceOf(ConfigException.class).hasMessage("ringcache.backups: '3' must be a whole number from 0 to 2");
        assertThatThrownBy(() -> parse(Map.of("ringcache.ring.hash", "md5")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.ring.hash: 'md5' is not a ring hash");
        assertThatThrownBy(() -> parse(Map.of("ringcache.hot-keys.enabled", "yes")))
                .isInstanceOf(ConfigException.class).hasMessage("ringcache.hot-keys.enabled: 'yes' is not a boolean; use true or false");
        assertThatThrownBy(() -> parse(Map.of("ringcache.hot-keys.budget-fraction", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.hot-keys.budget-fraction: '1.5' must be a fraction");
        assertThatThrownBy(() -> parse(Map.of("ringcache.peer-port", "http")))
                .isInstanceOf(ConfigException.class).hasMessage("ringcache.peer-port: 'http' must be a whole number from 0 to 65535");
    }

    @Test
    void peerFramesMustHoldTheLargestValueAndHandOffBatch() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-bytes", "16M")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.peer-max-frame-bytes: must be at least");
        assertThat(parse(Map.of("ringcache.max-value-bytes", "16M", "ringcache.peer-max-frame-bytes", "17M"))
                .peer().maxFrameBytes()).isEqualTo(17 << 20);
        assertThatThrownBy(() -> parse(Map.of("ringcache.handoff.batch-bytes", "8M")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.handoff.batch-bytes: must be at most");
    }

    /** The bounds are inclusive, as documented: a frame of exactly value + key + 1 KiB, a batch of frame - 1 KiB. */
    @Test
    void peerFrameAndBatchMayMeetTheirBoundsExactly() {
        NodeSettings settings = parse(Map.of("ringcache.max-value-bytes", "16M", "ringcache.max-key-bytes", "1K",
                "ringcache.peer-max-frame-bytes", Integer.toString((16 << 20) + 2048),
                "ringcache.handoff.batch-bytes", Integer.toString((16 << 20) + 1024)));
        assertThat(settings.peer().maxFrameBytes()).isEqualTo((16 << 20) + 2048);
        assertThat(settings.handoff().batchBytes()).isEqualTo((16 << 20) + 1024);
    }

    /** A frame too small for anything is refused by the same keyed check, not by PeerSettings' unkeyed one. */
    @Test
    void aTinyPeerFrameIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.peer-max-frame-bytes", "512")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.peer-max-frame-bytes: must be at least");
    }

    @Test
    void groupNamesStartAndEndWithALetterOrDigit() {
        for (String name : new String[] {"-items", "items-"}) {
            assertThatThrownBy(() -> parse(Map.of("ringcache.groups." + name + ".max-bytes", "1M")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'" + name + "' is not a group name")
                    .hasMessageContaining("starting and ending with a letter or digit");
        }
        assertThat(parse(Map.of("ringcache.groups.a-1.max-bytes", "1M")).groups())
                .extracting(GroupSettings::name).containsExactly("a-1");
    }

    /** Key and value limits whose sum passes an int must not wrap around into a frame size that seems to fit. */
    @Test
    void peerFrameCheckHoldsForTheLargestLimits() {
        assertThatThrownBy(() -> parse(Map.of("ringcache.max-value-bytes", "2047M", "ringcache.max-key-bytes", "2047M",
                "ringcache.peer-max-frame-bytes", "2047M")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ringcache.peer-max-frame-bytes: must be at least");
    }

    @Test
    void respGroupDefaultsToDefaultElseTheFirstGroupAndMustExist() {
        assertThat(parse(Map.of("ringcache.groups.items.max-bytes", "1M")).resp().group()).isEqualTo("items");
        // First by name, whatever order the configuration lists its keys in (Quarkus' is not the order written).
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ringcache.groups.zeta.max-bytes", "1M");
        p.put("ringcache.groups.alpha.max-bytes", "1M");
        assertThat(parse(p).groups()).extracting(GroupSettings::name).containsExactly("alpha", "zeta");
        assertThat(parse(p).resp().group()).isEqualTo("alpha");
        assertThat(parse(Map.of("ringcache.groups.items.max-bytes", "1M", "ringcache.resp.group", "items",
                "ringcache.resp.password", "s3cret")).resp())
                .isEqualTo(new RespSettings(true, "0.0.0.0", 6379, "items", Optional.of("s3cret"), 0));
        assertThatThrownBy(() -> parse(Map.of("ringcache.resp.group", "nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.resp.group: 'nope' is not a configured group; groups: [default]");
    }

    @Test
    void respEventLoopsDefaultToOnePerCoreLessOneAndTakeACount() {
        assertThat(parse(Map.of()).resp().eventLoopCount())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        assertThat(parse(Map.of("ringcache.resp.event-loops", "1")).resp().eventLoopCount()).isEqualTo(1);
        assertThatThrownBy(() -> parse(Map.of("ringcache.resp.event-loops", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ringcache.resp.event-loops: '-1' must be a whole number from 0 to 256");
    }
}
