package io.ringcache.node.core;

import io.ringcache.node.config.NodeSettings;
import io.ringcache.node.config.NodeSettingsParser;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings for a node under test in this JVM: the given properties, read by the node's own parser, over
 * loopback binds on free ports (peer and RESP), static discovery and a 1 s peer timeout unless they say otherwise.
 */
public final class LoopbackSettings {

    private LoopbackSettings() {
    }

    public static NodeSettings of(Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(properties);
        p.putIfAbsent("ringcache.peer-host", "127.0.0.1");
        p.putIfAbsent("ringcache.peer-port", "0");
        p.putIfAbsent("ringcache.resp.host", "127.0.0.1");
        p.putIfAbsent("ringcache.resp.port", "0");
        p.putIfAbsent("ringcache.discovery", "static");
        p.putIfAbsent("ringcache.peer-timeout", "1s");
        return NodeSettingsParser.parse(key -> Optional.ofNullable(p.get(key)), p.keySet());
    }
}
