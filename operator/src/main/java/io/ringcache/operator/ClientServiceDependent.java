package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.ServiceSpec;

/**
 * The client Service {@code <name>}: ports {@code http} and {@code resp}, of the type the spec asks for.
 * Node ports are set only when pinned; otherwise Kubernetes allocates them and the status reports them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class ClientServiceDependent extends CRUDKubernetesDependentResource<Service, CacheCluster> {

    public ClientServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(CacheCluster cluster, Context<CacheCluster> context) {
        ServiceSpec service = cluster.getSpec().getService();
        boolean nodePorts = service.getType().hasNodePorts();
        ServiceBuilder builder = new ServiceBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.cluster(cluster)));
        if (service.getAnnotations() != null) {
            builder.editMetadata().addToAnnotations(service.getAnnotations()).endMetadata();
        }
        return builder
            .withNewSpec()
                .withType(service.getType().kubernetesName())
                .withSelector(Labels.selector(cluster))
                .withPorts(
                    port("http", ContainerPorts.HTTP, nodePorts ? service.getHttpNodePort() : null),
                    port("resp", ContainerPorts.RESP, nodePorts ? service.getRespNodePort() : null))
            .endSpec()
            .build();
    }

    private static ServicePort port(String name, int port, Integer nodePort) {
        return new ServicePortBuilder()
            .withName(name)
            .withPort(port)
            .withNewTargetPort(name)
            .withProtocol("TCP")
            .withNodePort(nodePort)
            .build();
    }
}
