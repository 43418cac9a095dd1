package io.ringcache.node.group;

import io.ringcache.node.store.EvictionPolicyName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one group is configured.
 *
 * @param name the group's name: lowercase letters, digits and dashes, at most 63 characters
 * @param maxBytes the byte budget of the group's main store on this node
 * @param eviction the eviction policy of the main store
 * @param defaultTtl the time to live of values written or loaded without one; empty means they do not expire
 * @param origin the loader's URL template with a {@code {key}} placeholder; empty means a plain key-value group
 * @param loadTimeout how long one load may take before every waiting caller gets a timeout
 */
public record GroupSettings(String name, long maxBytes, EvictionPolicyName eviction, Optional<Duration> defaultTtl,
                            Optional<String> origin, Duration loadTimeout) {

    /** The group a node has when no group is configured. */
    public static final String DEFAULT_NAME = "default";
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final EvictionPolicyName DEFAULT_EVICTION = EvictionPolicyName.TINYLFU;
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public GroupSettings {
        Objects.requireNonNull(eviction, "eviction");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(loadTimeout, "loadTimeout");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("group name '" + name
                    + "' is invalid; use lowercase letters, digits and dashes, at most 63 characters");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("group '" + name + "': max-bytes must be positive, was " + maxBytes);
        }
    }

    /** A plain key-value group with the defaults: 64 MiB, {@code tinylfu}, no TTL, no origin. */
    public static GroupSettings defaults(String name) {
        return new GroupSettings(name, DEFAULT_MAX_BYTES, DEFAULT_EVICTION, Optional.empty(), Optional.empty(),
                DEFAULT_LOAD_TIMEOUT);
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
