package io.ringcache.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The PodDisruptionBudget the operator keeps while there are at least two nodes. */
public class DisruptionBudgetSpec {

    /** Nodes a voluntary disruption (a drain) may take down at once; hand-off needs them back in turn. */
    @Default("1")
    @Min(1)
    @Max(Integer.MAX_VALUE)
    private Integer maxUnavailable = 1;

    public Integer getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(Integer maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
