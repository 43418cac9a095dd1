package io.ringcache.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election among operator replicas: one holds the Lease {@value #LEASE_NAME} in the operator's namespace
 * and reconciles, the others wait. The operator SDK asks for this bean only in the profiles of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod); a null bean turns election off.
 */
public class LeaderElection {

    static final String LEASE_NAME = "ringcache-operator-lease";
    static final String ENABLED_SETTING = "ringcache.operator.leader-election";

    /**
     * The election's configuration, or null when {@value #ENABLED_SETTING} is false (a single replica that
     * needs no Lease).
     */
    @Produces
    @Dependent
    LeaderElectionConfiguration configuration(
            @ConfigProperty(name = ENABLED_SETTING, defaultValue = "true") boolean enabled) {
        return enabled ? new LeaderElectionConfiguration(LEASE_NAME) : null;
    }
}
