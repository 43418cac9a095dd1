package io.ringcache.node.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The eviction policies a group can choose, by their configuration names. */
public enum EvictionPolicyName {
    /** Window TinyLFU (Caffeine): frequency-aware admission in front of a segmented LRU. The default. */
    TINYLFU,
    /** Least recently used goes first. */
    LRU,
    /** Least frequently used goes first; ties go to the least recently used. */
    LFU,
    /** First in, first out: reads do not reorder; an overwrite counts as a new insertion. */
    FIFO,
    /** LRU-K with K=2: once-seen entries wait in probation and go first; the rest by oldest second-to-last access. */
    LRU2;

    /** The name used in configuration, e.g. {@code tinylfu}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EvictionPolicyName parse(String text) {
        for (EvictionPolicyName p : values()) {
            if (p.configName().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an eviction policy; use one of "
                + Arrays.stream(values()).map(EvictionPolicyName::configName).collect(Collectors.joining(", ")));
    }
}
