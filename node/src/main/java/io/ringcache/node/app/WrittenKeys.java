package io.ringcache.node.app;

import io.smallrye.config.EnvConfigSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The configuration keys the node checks for typos and reads group names from: every key whose value comes
 * from a file or a system property. Keys whose value comes from an environment variable are left out, because
 * Kubernetes puts variables into every pod that the node did not ask for: a Service named {@code ringcache}
 * (a CacheCluster of that name) gives its namespace's pods {@code RINGCACHE_SERVICE_HOST}, which Quarkus lists
 * as {@code ringcache.service.host}, and {@code RINGCACHE_MAX_VALUE_BYTES} is listed as
 * {@code ringcache.max.value.bytes}; checking them would stop the node. Environment variables are still read
 * for the keys the node knows ({@code RINGCACHE_MAX_VALUE_BYTES=4M}).
 */
final class WrittenKeys {

    private WrittenKeys() {
    }

    static List<String> of(Config config) {
        Set<String> environmentSources = StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .filter(EnvConfigSource.class::isInstance)
                .map(ConfigSource::getName)
                .collect(Collectors.toSet());
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> !fromEnvironment(config.getConfigValue(name), environmentSources))
                .toList();
    }

    private static boolean fromEnvironment(ConfigValue value, Set<String> environmentSources) {
        return value.getSourceName() != null && environmentSources.contains(value.getSourceName());
    }
}
