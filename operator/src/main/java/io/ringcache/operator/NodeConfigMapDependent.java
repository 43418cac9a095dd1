package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/** The ConfigMap {@code <name>-config} holding the rendered {@link NodeConfiguration}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, CacheCluster> {

    public NodeConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new ConfigMapBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.config(cluster)))
            .addToData(NodeConfiguration.FILE_NAME, NodeConfiguration.of(cluster).properties())
            .build();
    }
}
