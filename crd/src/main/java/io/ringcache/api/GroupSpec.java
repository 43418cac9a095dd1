package io.ringcache.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A named namespace of keys with its own memory budget per node, eviction policy, TTL and origin. */
public class GroupSpec {

    @Required
    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    private String name;

    /** The group's memory on each node, a Kubernetes quantity. */
    @Required
    @Size(max = 32)
    @ValidationRule(value = Sizes.POSITIVE_WHOLE_BYTES,
        message = "a group's memory must be a whole number of bytes above zero, a quantity such as 64Mi or 1Gi")
    private String memory;

    @Default("tinylfu")
    private Eviction eviction = Eviction.TINYLFU;

    /** Time to live of entries written or loaded without their own; none when absent. */
    @Pattern(Durations.PATTERN)
    private String ttl;

    /**
     * Read-through origin: an http(s) URL template with a {key} placeholder. The node reads its configuration with
     * {@code ${...}} expanded: a template written {@code ${key}} names no setting, so the node would read no origin
     * at all and answer every miss "not found". The placeholder must stand in the path or query: in the host, port or
     * user info a client's key would choose the machine the nodes fetch from, and a fragment is never sent (the node
     * and the operator refuse these too; here kubectl says so at once). CEL's {@code matches} finds the pattern
     * anywhere unless anchored, and no URL has a brace in its authority.
     */
    @Size(max = 2048)
    @Pattern("^https?://.*\\{key\\}.*$")
    @ValidationRule(value = "!self.contains('${')",
        message = "origin must not contain '${': the node's configuration expands ${...};"
            + " write the placeholder as {key}")
    @ValidationRule(value = "self.matches('^https?://[^/?#{}]+[/?][^#]*[{]key[}]') && !self.matches('#.*[{]key[}]')",
        message = "origin must have {key} in its path or query, never in its host, port, user info or fragment:"
            + " a client's key must not choose the machine the nodes fetch from")
    private String origin;

    public GroupSpec() {
    }

    public GroupSpec(String name, String memory) {
        this.name = name;
        this.memory = memory;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    public Eviction getEviction() {
        return eviction;
    }

    public void setEviction(Eviction eviction) {
        this.eviction = eviction;
    }

    public String getTtl() {
        return ttl;
    }

    public void setTtl(String ttl) {
        this.ttl = ttl;
    }

    public String getOrigin() {
        return origin;
    }

    public void setOrigin(String origin) {
        this.origin = origin;
    }
}
