package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;
import io.ringcache.api.NodePorts;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place where a CacheCluster's status is computed, from what runs: the Deployment's status, the
 * client Service's node ports and the peer Service's EndpointSlices. A pure function of its inputs, so equal
 * observations give an equal status and the reconciler can skip the update.
 */
final class StatusCalculator {

    static final String READY = "Ready";
    static final String PROGRESSING = "Progressing";
    static final String DEGRADED = "Degraded";
    /** The reason of Degraded (and of any condition not known yet) while reconciling fails. */
    static final String RECONCILE_FAILED = "ReconcileFailed";
    /** The reason of Degraded and Progressing while the spec has problems and none of it is applied. */
    static final String INVALID_SPEC = "InvalidSpec";
    /**
     * The reason of Progressing while nodes are being updated, and of Ready (false) while the Deployment controller
     * has not observed the Deployment's current spec.
     */
    static final String ROLLING_OUT = "RollingOut";

    private StatusCalculator() {
    }

    /**
     * @param deployment    the node Deployment, absent until created
     * @param clientService the client Service, absent until created
     * @param endpointSlices EndpointSlices in the cluster's namespace; only the peer Service's count
     * @param specProblems  why the spec was not applied ({@link SpecCheck}); empty when it was
     * @param now           the time a condition that changes status transitions at
     */
    static CacheClusterStatus compute(CacheCluster cluster, Optional<Deployment> deployment,
                                      Optional<Service> clientService, Collection<EndpointSlice> endpointSlices,
                                      List<String> specProblems, Instant now) {
        int desired = nodesAsked(cluster, deployment, specProblems);
        DeploymentStatus rollout = deployment.map(Deployment::getStatus).orElseGet(DeploymentStatus::new);
        int replicas = orZero(rollout.getReplicas());
        int ready = orZero(rollout.getReadyReplicas());
        int updated = orZero(rollout.getUpdatedReplicas());
        long generation = Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);

        CacheClusterStatus status = new CacheClusterStatus();
        status.setObservedGeneration(generation);
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setSelector(Labels.selectorString(cluster));
        status.setNodePorts(clientService.map(StatusCalculator::nodePorts).orElse(null));
        status.setMembers(members(cluster, endpointSlices));

        List<io.fabric8.kubernetes.api.model.Condition> previous =
            cluster.getStatus() != null ? cluster.getStatus().getConditions() : null;
        ConditionList conditions = new ConditionList(previous, generation, now);
        // Until the Deployment controller has seen the Deployment's current spec, its counts describe the previous
        // one: right after a change they would call the cluster Ready before a single node runs what was asked.
        boolean observed = deployment.map(StatusCalculator::deploymentObservedItsSpec).orElse(false);
        String readyCount = ready + " of " + desired + " nodes ready";
        if (deployment.isPresent() && !observed) {
            conditions.set(READY, false, ROLLING_OUT, readyCount
                + " (counted for the previous spec: the Deployment controller has not observed the current one yet)");
        } else {
            boolean allReady = observed && ready == desired && replicas == desired && updated == desired;
            conditions.set(READY, allReady, allReady ? "NodesReady" : "NodesNotReady", readyCount);
        }
        if (!specProblems.isEmpty()) {
            conditions.set(PROGRESSING, false, INVALID_SPEC, "the spec is not applied: see Degraded");
            conditions.set(DEGRADED, true, INVALID_SPEC, "the spec is not applied: " + String.join("; ", specProblems));
        } else {
            // Ready counts too: a new cluster's nodes, or those a scale-up adds, are all "updated" from the start,
            // so without it the rollout would be called complete while not one of them serves yet.
            boolean rolledOut = observed && updated == desired && replicas == desired && ready == desired;
            conditions.set(PROGRESSING, !rolledOut, rolledOut ? "RolloutComplete" : ROLLING_OUT,
                rolledOut ? "every node runs the current spec"
                    : updated + " of " + desired + " nodes updated, " + ready + " ready");
            Optional<DeploymentCondition> failure = deployment.flatMap(StatusCalculator::failure);
            conditions.set(DEGRADED, failure.isPresent(),
                failure.map(DeploymentCondition::getReason).orElse("AsExpected"),
                failure.map(DeploymentCondition::getMessage).orElse("no failure reported"));
        }
        status.setConditions(conditions.toList());
        return status;
    }

    /**
     * The status after a reconcile that failed: what was observed before (nothing was observed this time), with
     * Degraded true and {@code message} saying why. Ready and Progressing keep their previous value, or are false
     * when there is none.
     */
    static CacheClusterStatus failed(CacheCluster cluster, String message, Instant now) {
        CacheClusterStatus previous = cluster.getStatus() != null ? cluster.getStatus() : new CacheClusterStatus();
        CacheClusterStatus status = new CacheClusterStatus();
        status.setObservedGeneration(previous.getObservedGeneration());
        status.setReplicas(previous.getReplicas());
        status.setReadyReplicas(previous.getReadyReplicas());
        status.setSelector(Labels.selectorString(cluster));
        status.setNodePorts(previous.getNodePorts());
        status.setMembers(previous.getMembers());
        long generation = Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        ConditionList conditions = new ConditionList(previous.getConditions(), generation, now);
        for (String type : List.of(READY, PROGRESSING)) {
            previous.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .ifPresentOrElse(conditions::keep,
                    () -> conditions.set(type, false, RECONCILE_FAILED, "the spec is not applied: see Degraded"));
        }
        conditions.set(DEGRADED, true, RECONCILE_FAILED, message);
        status.setConditions(conditions.toList());
        return status;
    }

    /**
     * The nodes Ready counts against: {@code spec.replicas}, unless the spec has problems. Then none of it is applied
     * and the nodes that serve are those of the last applied spec, as many as the Deployment asks for; counted against
     * a refused {@code spec.replicas}, they would never be Ready until the spec is fixed.
     */
    private static int nodesAsked(CacheCluster cluster, Optional<Deployment> deployment, List<String> specProblems) {
        Optional<Integer> applied = deployment.map(Deployment::getSpec).map(DeploymentSpec::getReplicas);
        return specProblems.isEmpty() || applied.isEmpty() ? cluster.getSpec().getReplicas() : applied.get();
    }

    /** Whether the Ready condition of {@code status} is true. */
    static boolean isReady(CacheClusterStatus status) {
        return status.getConditions().stream()
            .anyMatch(c -> READY.equals(c.getType()) && ConditionList.TRUE.equals(c.getStatus()));
    }

    /** Whether the Deployment's status describes its current spec: its observedGeneration caught up. */
    private static boolean deploymentObservedItsSpec(Deployment deployment) {
        Long observed = deployment.getStatus() != null ? deployment.getStatus().getObservedGeneration() : null;
        Long generation = deployment.getMetadata().getGeneration();
        return generation == null || (observed != null && observed >= generation);
    }

    /** A rollout stuck past its deadline or pods the ReplicaSet could not create. */
    private static Optional<DeploymentCondition> failure(Deployment deployment) {
        if (deployment.getStatus() == null || deployment.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return deployment.getStatus().getConditions().stream()
            .filter(c -> ("ReplicaFailure".equals(c.getType()) && ConditionList.TRUE.equals(c.getStatus()))
                || ("Progressing".equals(c.getType()) && ConditionList.FALSE.equals(c.getStatus())))
            .findFirst();
    }

    /** None for a ClusterIP Service: status.nodePorts is then left out, not reported as {@code {}}. */
    private static NodePorts nodePorts(Service service) {
        if (service.getSpec() == null || service.getSpec().getPorts() == null) {
            return null;
        }
        NodePorts ports = new NodePorts(nodePort(service, "http"), nodePort(service, "resp"));
        return ports.getHttp() == null && ports.getResp() == null ? null : ports;
    }

    private static Integer nodePort(Service service, String name) {
        return service.getSpec().getPorts().stream()
            .filter(port -> name.equals(port.getName()))
            .map(ServicePort::getNodePort)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    }

    /** Peer addresses of the ready, non-terminating endpoints of {@code <name>-peers}: the ring. */
    private static List<String> members(CacheCluster cluster, Collection<EndpointSlice> endpointSlices) {
        String peers = ObjectNames.peers(cluster);
        return endpointSlices.stream()
            .filter(slice -> slice.getMetadata().getLabels() != null
                && peers.equals(slice.getMetadata().getLabels().get(Labels.ENDPOINT_SLICE_SERVICE_NAME)))
            .filter(slice -> slice.getEndpoints() != null)
            .flatMap(slice -> slice.getEndpoints().stream())
            .filter(StatusCalculator::inService)
            .flatMap(endpoint -> endpoint.getAddresses().stream())
            .map(address -> address + ":" + ContainerPorts.PEER)
            .sorted()
            .distinct()
            .toList();
    }

    /** Unset conditions mean ready and not terminating (the EndpointSlice API's reading). */
    private static boolean inService(Endpoint endpoint) {
        EndpointConditions conditions = endpoint.getConditions();
        if (conditions == null) {
            return true;
        }
        return !Boolean.FALSE.equals(conditions.getReady()) && !Boolean.TRUE.equals(conditions.getTerminating());
    }

    private static int orZero(Integer value) {
        return value != null ? value : 0;
    }
}
