package io.ringcache.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A group's eviction policy; the names are the node's {@code ringcache.groups.<name>.eviction} values. */
public enum Eviction {
    @JsonProperty("tinylfu")
    TINYLFU,
    @JsonProperty("lru")
    LRU,
    @JsonProperty("lfu")
    LFU,
    @JsonProperty("fifo")
    FIFO,
    @JsonProperty("lru2")
    LRU2;

    /** The value the node's configuration expects. */
    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
