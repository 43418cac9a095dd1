package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.ringcache.api.CacheCluster;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The node ConfigMaps: {@code <name>-config-<hash>} holding the rendered {@link NodeConfiguration} of the current
 * spec, and those of earlier specs that nodes may still read ({@link NodeConfigRetention}).
 *
 * <p>A configuration is never changed in place: a node of the previous revision that restarts before the rollout
 * replaced it would read the new configuration under the old pod template. Each configuration gets a new,
 * immutable ConfigMap named for its content, which the pod template mounts, so a change rolls the nodes onto it.
 * The ConfigMaps form one bulk dependent: the operator SDK creates the ones {@link #desiredResources} lists and
 * deletes the cluster's others.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, CacheCluster>
    implements CRUDKubernetesBulkDependentResource<ConfigMap, CacheCluster>,
    KubernetesBulkDependentResource<ConfigMap, CacheCluster> {

    public NodeConfigMapDependent() {
        super(ConfigMap.class);
    }

    /** The ConfigMap of the current spec; a pure function of the cluster. */
    @Override
    protected ConfigMap desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new ConfigMapBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.config(cluster)))
            .withImmutable(true)
            .addToData(NodeConfiguration.FILE_NAME, NodeConfiguration.of(cluster).properties())
            .build();
    }

    /** The current spec's ConfigMap, and the earlier ones still kept, as they are. */
    @Override
    public Map<ResourceID, ConfigMap> desiredResources(CacheCluster cluster, Context<CacheCluster> context) {
        ConfigMap current = desired(cluster, context);
        Map<ResourceID, ConfigMap> existing = getSecondaryResources(cluster, context);
        Set<String> kept = NodeConfigRetention.kept(current.getMetadata().getName(), existing.values(),
            context.getSecondaryResource(Deployment.class));
        Map<ResourceID, ConfigMap> desired = new HashMap<>();
        existing.forEach((id, configMap) -> {
            if (kept.contains(configMap.getMetadata().getName())) {
                desired.put(id, configMap);
            }
        });
        desired.put(ResourceID.fromResource(current), current);
        return desired;
    }

    /** Only the cluster's node ConfigMaps, should it ever own another. */
    @Override
    public Predicate<ConfigMap> secondaryResourceFilter(CacheCluster cluster, Context<CacheCluster> context) {
        return configMap -> ObjectNames.isConfig(cluster, configMap.getMetadata().getName());
    }

    /**
     * A kept ConfigMap of an earlier spec is left exactly as it is: it is what that revision's nodes were started
     * with. The current one is compared as any dependent is.
     */
    @Override
    public Matcher.Result<ConfigMap> match(ConfigMap actual, ConfigMap desired, CacheCluster cluster,
                                           Context<CacheCluster> context) {
        if (desired == actual) {
            return Matcher.Result.nonComputed(true);
        }
        return super.match(actual, desired, cluster, context);
    }
}
