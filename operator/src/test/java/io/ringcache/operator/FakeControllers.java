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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * Stand-ins for the Kubernetes controllers the mock API server lacks: every Deployment becomes fully ready
 * with an EndpointSlice of its ready pods on the peer Service, and every NodePort or LoadBalancer Service gets
 * node ports for the ports that do not pin one, as the API server allocates them. Rollouts can be held, to
 * show the operator a Deployment whose controller has not caught up with its spec yet.
 */
final class FakeControllers implements AutoCloseable {

    /** Allocated ports count down from the top of the range, away from the ports tests pin. */
    static final int LAST_NODE_PORT = 32767;

    private final KubernetesClient client;
    private final AtomicInteger nextNodePort = new AtomicInteger(LAST_NODE_PORT);
    private final List<SharedIndexInformer<?>> informers;
    /** While set, Deployments keep the status of their last rollout, as when the Deployment controller lags. */
    private final AtomicBoolean rolloutsHeld = new AtomicBoolean();

    FakeControllers(KubernetesClient client) {
        this.client = client;
        this.informers = List.of(
            client.apps().deployments().inAnyNamespace().inform(handler(this::deploymentChanged)),
            client.services().inAnyNamespace().inform(handler((old, service) -> allocateNodePorts(service))));
    }

    /** Stops rolling Deployments out: their status keeps describing the spec they had (and its generation). */
    void holdRollouts() {
        rolloutsHeld.set(true);
    }

    /** Rolls every Deployment out again, including those changed while rollouts were held. */
    void resumeRollouts() {
        rolloutsHeld.set(false);
        client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::rollOut);
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

    private void deploymentChanged(Deployment old, Deployment deployment) {
        if (!rolloutsHeld.get()) {
            rollOut(deployment);
        } else if (old != null && old.getStatus() != null && deployment.getStatus() == null) {
            // The API server keeps a Deployment's status when its spec is written; the mock server drops it.
            client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(old.getStatus());
                    return current;
                });
        }
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

    /** Calls {@code onChange} with the previous and the new state of each added (previous: null) or updated object. */
    private static <T> ResourceEventHandler<T> handler(BiConsumer<T, T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T resource) {
                onChange.accept(null, resource);
            }

            @Override
            public void onUpdate(T old, T resource) {
                onChange.accept(old, resource);
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
