package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Stand-ins for the Kubernetes controllers the mock API server lacks: every Deployment becomes fully ready
 * with an EndpointSlice of its ready pods on the peer Service, and every NodePort or LoadBalancer Service gets
 * node ports for the ports that do not pin one, as the API server allocates them.
 */
final class FakeControllers implements AutoCloseable {

    /** Allocated ports count down from the top of the range, away from the ports tests pin. */
    static final int LAST_NODE_PORT = 32767;

    private final KubernetesClient client;
    private final AtomicInteger nextNodePort = new AtomicInteger(LAST_NODE_PORT);
    private final List<SharedIndexInformer<?>> informers;

    FakeControllers(KubernetesClient client) {
        this.client = client;
        this.informers = List.of(
            client.apps().deployments().inAnyNamespace().inform(handler(this::rollOut)),
            client.services().inAnyNamespace().inform(handler(this::allocateNodePorts)));
    }

    private void allocateNodePorts(Service service) {
        String type = service.getSpec().getType();
        boolean unallocated = service.getSpec().getPorts().stream().anyMatch(port -> port.getNodePort() == null);
        if (!("NodePort".equals(type) || "LoadBalancer".equals(type)) || !unallocated) {
            return;
        }
        client.services().inNamespace(service.getMetadata().getNamespace()).withName(service.getMetadata().getName())
            .edit(current -> {
                for (ServicePort port : current.getSpec().getPorts()) {
                    if (port.getNodePort() == null) {
                        port.setNodePort(nextNodePort.getAndDecrement());
                    }
                }
                return current;
            });
    }

    /** Reports {@code spec.replicas} ready, updated pods, and publishes them on the peer Service. */
    private void rollOut(Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas();
        var status = deployment.getStatus();
        if (status != null && Objects.equals(status.getReplicas(), replicas)
            && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())) {
            return;
        }
        String namespace = deployment.getMetadata().getNamespace();
        String peers = deployment.getMetadata().getName() + "-peers";
        client.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
                .withNewMetadata()
                    .withName(peers + "-fake")
                    .withLabels(deployment.getMetadata().getLabels())
                    .addToLabels(Labels.ENDPOINT_SLICE_SERVICE_NAME, peers)
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(IntStream.rangeClosed(1, replicas)
                    .mapToObj(i -> new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                        .withAddresses("10.0.0." + i)
                        .withNewConditions().withReady(true).endConditions()
                        .build())
                    .toList())
                .build())
            .createOr(NonDeletingOperation::update);
        client.apps().deployments().inNamespace(namespace).withName(deployment.getMetadata().getName())
            .editStatus(current -> {
                current.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(current.getMetadata().getGeneration())
                    .withReplicas(replicas)
                    .withReadyReplicas(replicas)
                    .withUpdatedReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .build());
                return current;
            });
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T resource) {
                onChange.accept(resource);
            }

            @Override
            public void onUpdate(T old, T resource) {
                onChange.accept(resource);
            }

            @Override
            public void onDelete(T resource, boolean finalStateUnknown) {
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
