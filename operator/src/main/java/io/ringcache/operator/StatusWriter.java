package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;

/**
 * Writes a CacheCluster's status and puts the written CacheCluster into the operator SDK's cache, so that the
 * next reconcile starts from this status.
 *
 * <p>After an {@code UpdateControl.patchStatus} the operator SDK waits for the watch to bring the written object
 * back. A reconcile triggered meanwhile (an owned object's event often comes first) would see the status before
 * the write: it would compare the new status with that one, keep its conditions' transition times, and, without
 * server-side apply, send a JSON Patch computed from it, whose index operations need not apply to what the
 * server holds (scaled from five nodes to one, {@code remove /status/members/1} when one member is left).
 * Both writes here carry the resourceVersion the status was computed from: if the server has moved on, the
 * write is refused and made again on the newer object.
 */
final class StatusWriter {

    private StatusWriter() {
    }

    static void write(CacheCluster cluster, CacheClusterStatus status, Context<CacheCluster> context) {
        if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(cluster, statusOnly(cluster, status), context);
        } else {
            PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(cluster, context, current -> {
                current.setStatus(status);
                return current;
            });
        }
    }

    /** What server-side apply is given: the status alone, so the operator's field manager owns nothing else. */
    private static CacheCluster statusOnly(CacheCluster cluster, CacheClusterStatus status) {
        CacheCluster applied = new CacheCluster();
        applied.setMetadata(new ObjectMetaBuilder()
            .withName(cluster.getMetadata().getName())
            .withNamespace(cluster.getMetadata().getNamespace())
            .build());
        applied.setSpec(null);
        applied.setStatus(status);
        return applied;
    }
}
