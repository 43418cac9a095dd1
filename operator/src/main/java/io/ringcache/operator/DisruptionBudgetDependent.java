package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/**
 * The PodDisruptionBudget {@code <name>}: a drain takes at most {@code maxUnavailable} nodes at once, so
 * each can hand its entries off before the next one goes.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class DisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, CacheCluster> {

    public DisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new PodDisruptionBudgetBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.cluster(cluster)))
            .withNewSpec()
                .withMaxUnavailable(new IntOrString(cluster.getSpec().getDisruptionBudget().getMaxUnavailable()))
                .withNewSelector().withMatchLabels(Labels.selector(cluster)).endSelector()
            .endSpec()
            .build();
    }
}
