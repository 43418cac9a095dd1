package io.ringcache.operator;

import static io.ringcache.operator.StatusCalculatorTest.T0;
import static io.ringcache.operator.StatusCalculatorTest.T1;
import static io.ringcache.operator.StatusCalculatorTest.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the reconciler does with a computed status: write it only when it changed, look again until ready. */
class StatusUpdateTest {

    final CacheCluster cluster = Clusters.named("sessions");

    CacheClusterStatus observe(Deployment deployment, Instant now) {
        return StatusCalculator.compute(cluster, Optional.of(deployment), Optional.empty(), List.of(), List.of(), now);
    }

    @Test
    void firstStatusIsPatched() {
        UpdateControl<CacheCluster> control = CacheClusterReconciler.statusUpdate(cluster, observe(deployment(3, 3, 3), T0));
        assertThat(control.isPatchStatus()).isTrue();
        assertThat(control.getResource()).hasValueSatisfying(patched -> assertThat(patched.getStatus()).isNotNull());
    }

    @Test
    void unchangedReadyClusterCausesNoWriteAndNoRecheck() {
        cluster.setStatus(observe(deployment(3, 3, 3), T0));
        UpdateControl<CacheCluster> control = CacheClusterReconciler.statusUpdate(cluster, observe(deployment(3, 3, 3), T1));
        assertThat(control.isNoUpdate()).isTrue();
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void clusterThatIsNotReadyIsLookedAtAgainEvenWithoutChange() {
        cluster.setStatus(observe(deployment(3, 1, 3), T0));
        UpdateControl<CacheCluster> control = CacheClusterReconciler.statusUpdate(cluster, observe(deployment(3, 1, 3), T1));
        assertThat(control.isNoUpdate()).isTrue();
        assertThat(control.getScheduleDelay()).contains(CacheClusterReconciler.NOT_READY_RECHECK.toMillis());
    }
}
