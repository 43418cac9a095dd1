package io.ringcache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * How each node's cache memory is used. Without groups a node has one group, {@code default}, holding
 * all of {@link #getMemory() memory}.
 */
@ValidationRule(value = "!has(self.groups) || self.groups.all(g, self.groups.exists_one(h, h.name == g.name))",
    message = "group names must be unique: two entries of cache.groups have the same name")
@ValidationRule(value = "!has(self.groups) || self.groups.map(g, quantity(g.memory).asInteger()).sum()"
    + " <= quantity(self.memory).asInteger()",
    message = "the groups' memory adds up to more than cache.memory: lower a group's memory or raise cache.memory")
public class CacheSpec {

    /** Cache memory per node, a Kubernetes quantity ({@code 512Mi}, {@code 2Gi}). */
    @JsonPropertyDescription("Cache memory per node, a Kubernetes quantity (512Mi, 2Gi), held in the node's heap;"
        + " hot-key copies take up to 1/8 more. A memory limit in resources must leave the heap room for it.")
    @Default("256Mi")
    @ValidationRule(value = Sizes.POSITIVE_WHOLE_BYTES,
        message = "cache.memory must be a whole number of bytes above zero, a quantity such as 512Mi or 2Gi")
    @Size(max = 32)
    private String memory = "256Mi";

    /** How many further nodes hold a copy of each key. */
    @Default("0")
    @Min(0)
    @Max(2)
    private Integer backups = 0;

    @Default("{}")
    private HotKeysSpec hotKeys = new HotKeysSpec();

    @Size(max = 32)
    private List<GroupSpec> groups;

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    public Integer getBackups() {
        return backups;
    }

    public void setBackups(Integer backups) {
        this.backups = backups;
    }

    public HotKeysSpec getHotKeys() {
        return hotKeys;
    }

    public void setHotKeys(HotKeysSpec hotKeys) {
        this.hotKeys = hotKeys;
    }

    public List<GroupSpec> getGroups() {
        return groups;
    }

    public void setGroups(List<GroupSpec> groups) {
        this.groups = groups;
    }
}
