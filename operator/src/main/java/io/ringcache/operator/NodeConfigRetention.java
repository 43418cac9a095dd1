package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a cluster's node ConfigMaps to keep. Each configuration has a ConfigMap of its own, named for its content
 * ({@link ObjectNames#config}), so a configuration change never alters what running nodes read, and older ones are
 * deleted once no node can need them:
 * <ul>
 *   <li>while a rollout is under way, none: nodes of any earlier revision may still run, and their ReplicaSet starts
 *   a replacement for one that fails, which mounts that revision's ConfigMap;</li>
 *   <li>once every node runs the Deployment's current template, all but the current one, the one that template
 *   mounts (the Deployment is moved to the current one right after, in the same reconcile) and the newest of the
 *   others: the previous revision's. Its nodes can outlive the rollout's end by their termination grace (the
 *   Deployment stops counting a pod as soon as it is terminating) and a kubelet restarted meanwhile mounts their
 *   volumes again; keeping one small object more costs nothing.</li>
 * </ul>
 */
final class NodeConfigRetention {

    /** Oldest first; ties (two created within a second) by name, so that the choice is stable. */
    private static final Comparator<ConfigMap> CREATION_ORDER = Comparator
        .comparing((ConfigMap configMap) -> Instant.parse(configMap.getMetadata().getCreationTimestamp()))
        .thenComparing(configMap -> configMap.getMetadata().getName());

    private NodeConfigRetention() {
    }

    /**
     * The names of the ConfigMaps to keep of {@code existing}, the cluster's node ConfigMaps.
     *
     * @param current    the ConfigMap of the current spec
     * @param deployment the node Deployment as the API server has it, absent until created
     */
    static Set<String> kept(String current, Collection<ConfigMap> existing, Optional<Deployment> deployment) {
        Set<String> kept = new HashSet<>();
        kept.add(current);
        if (deployment.isEmpty() || !rolledOut(deployment.get())) {
            existing.forEach(configMap -> kept.add(configMap.getMetadata().getName()));
            return kept;
        }
        mounted(deployment.get()).ifPresent(kept::add);
        existing.stream()
            .filter(configMap -> !current.equals(configMap.getMetadata().getName()))
            .filter(configMap -> configMap.getMetadata().getCreationTimestamp() != null)
            .max(CREATION_ORDER)
            .ifPresent(previous -> kept.add(previous.getMetadata().getName()));
        return kept;
    }

    /**
     * Whether every pod of the Deployment runs its current template: its controller has observed the template, and
     * all the pods it counts are updated ones.
     */
    static boolean rolledOut(Deployment deployment) {
        var status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        return status != null && generation != null && status.getObservedGeneration() != null
            && status.getObservedGeneration() >= generation
            && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) == desired
            && Objects.requireNonNullElse(status.getReplicas(), 0) == desired;
    }

    /** The node ConfigMap the Deployment's pod template mounts. */
    static Optional<String> mounted(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(volume -> NodeDeploymentDependent.CONFIG_VOLUME.equals(volume.getName()))
            .map(Volume::getConfigMap)
            .filter(Objects::nonNull)
            .map(ConfigMapVolumeSource::getName)
            .findFirst();
    }
}
