package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/**
 * The NetworkPolicy {@code <name>}, present only while enabled: once a policy selects the node pods, only what
 * it allows reaches them. The peer port only from the cluster's own nodes: no client speaks the peer protocol,
 * and a node takes its hand-off transfers and hot-copy invalidations as a member's word. HTTP and RESP from
 * anywhere: clients, traffic through the NodePort (which may arrive from a node's address) and the kubelet's
 * probes. Ingress only: the nodes' own connections (to the API server, to origins) stay as the namespace
 * allows them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, CacheCluster> {

    public NetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(CacheCluster cluster, Context<CacheCluster> context) {
        // Ports by number, not by the container ports' names: a number means the same on every CNI plugin.
        return new NetworkPolicyBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.cluster(cluster)))
            .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(cluster)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                    .addNewFrom().withNewPodSelector().withMatchLabels(Labels.selector(cluster)).endPodSelector()
                    .endFrom()
                    .withPorts(tcp(ContainerPorts.PEER))
                .endIngress()
                // No 'from': any source, in or outside the cluster.
                .addNewIngress()
                    .withPorts(tcp(ContainerPorts.HTTP), tcp(ContainerPorts.RESP))
                .endIngress()
            .endSpec()
            .build();
    }

    private static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }
}
