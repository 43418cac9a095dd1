package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/**
 * The headless Service {@code <name>-peers}. Nodes never resolve it: they watch its EndpointSlices, whose
 * ready endpoints are the ring. Not-ready addresses stay out so a starting or draining node owns no keys.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class PeerServiceDependent extends CRUDKubernetesDependentResource<Service, CacheCluster> {

    public PeerServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new ServiceBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.peers(cluster)))
            .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("None")
                // publishNotReadyAddresses stays unset: false is its default, which the API server never prints,
                // so a false sent explicitly would differ from the stored Service on every reconcile.
                .withSelector(Labels.selector(cluster))
                .addNewPort()
                    .withName("peer")
                    .withPort(ContainerPorts.PEER)
                    .withNewTargetPort("peer")
                    .withProtocol("TCP")
                .endPort()
            .endSpec()
            .build();
    }
}
