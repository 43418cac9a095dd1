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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the reconciler does with a computed status: write it only when it changed, look again until ready. */
class StatusUpdateTest {

    final CacheCluster cluster = Clusters.named("sessions");
    final List<CacheClusterStatus> written = new ArrayList<>();

    CacheClusterStatus observe(Deployment deployment, Instant now) {
        return StatusCalculator.compute(cluster, Optional.of(deployment), Optional.empty(), List.of(), List.of(), now);
    }

    UpdateControl<CacheCluster> update(CacheClusterStatus status) {
        return CacheClusterReconciler.statusUpdate(cluster, status, written::add);
    }

    @Test
    void firstStatusIsWrittenAndTheControlUpdatesNothingItself() {
        CacheClusterStatus status = observe(deployment(3, 3, 3), T0);
        UpdateControl<CacheCluster> control = update(status);
        assertThat(written).containsExactly(status);
        assertThat(control.isNoUpdate()).as("StatusWriter wrote it; a patch by the control would write it again")
            .isTrue();
    }

    @Test
    void unchangedReadyClusterCausesNoWriteAndNoRecheck() {
        cluster.setStatus(observe(deployment(3, 3, 3), T0));
        UpdateControl<CacheCluster> control = update(observe(deployment(3, 3, 3), T1));
        assertThat(written).isEmpty();
        assertThat(control.isNoUpdate()).isTrue();
        assertThat(control.getScheduleDelay()).isEmpty();
    }

    @Test
    void clusterThatIsNotReadyIsLookedAtAgainEvenWithoutChange() {
        cluster.setStatus(observe(deployment(3, 1, 3), T0));
        UpdateControl<CacheCluster> control = update(observe(deployment(3, 1, 3), T1));
        assertThat(written).isEmpty();
        assertThat(control.getScheduleDelay()).contains(CacheClusterReconciler.NOT_READY_RECHECK.toMillis());
    }
}
