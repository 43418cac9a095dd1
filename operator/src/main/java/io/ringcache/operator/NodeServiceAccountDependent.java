package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/** The ServiceAccount {@code <name>-node} the nodes watch EndpointSlices with. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, CacheCluster> {

    public NodeServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new ServiceAccountBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.node(cluster)))
            .build();
    }
}
