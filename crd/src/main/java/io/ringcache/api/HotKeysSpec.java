package io.ringcache.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Copies of popular keys kept on the nodes that ask for them, so one owner is not a hotspot. */
public class HotKeysSpec {

    /** On by default, as on the node (docs/configuration.md, ringcache.hot-keys.enabled). */
    @Default("true")
    private Boolean enabled = true;

    /** Requests per second to one key, as its owner counts them, above which the key is hot and copied. */
    @Default("100")
    @Min(1)
    @Max(Integer.MAX_VALUE)
    private Integer threshold = 100;

    /** How long a hot copy lives before it is fetched again from the owner. */
    @Default("5s")
    @Pattern(Durations.PATTERN)
    private String ttl = "5s";

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getThreshold() {
        return threshold;
    }

    public void setThreshold(Integer threshold) {
        this.threshold = threshold;
    }

    public String getTtl() {
        return ttl;
    }

    public void setTtl(String ttl) {
        this.ttl = ttl;
    }
}
