package io.ringcache.api;

import io.fabric8.generator.annotation.Default;

/**
 * The NetworkPolicy the operator keeps for the node pods: only the cluster's own nodes reach the peer port
 * (7100), anyone reaches HTTP (8080) and RESP (6379).
 */
public class NetworkPolicySpec {

    /** On by default; turned off, the operator deletes the policy and the namespace's own policies alone apply. */
    @Default("true")
    private Boolean enabled = true;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }
}
