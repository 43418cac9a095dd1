package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ringcache.api.CacheCluster;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The labels every owned object carries, the subset that selects a cluster's node pods, and owned metadata. */
final class Labels {

    static final String NAME = "app.kubernetes.io/name";
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String OPERATOR = "ringcache-operator";
    /**
     * Selects the objects the operator made, by the label {@link #of} gives every one of them: the informers of the
     * owned objects and of their EndpointSlices watch only these, not every object of a kind in the watched
     * namespaces.
     */
    static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + OPERATOR;
    /** Set by Kubernetes on every EndpointSlice: the Service the slice belongs to. */
    static final String ENDPOINT_SLICE_SERVICE_NAME = "kubernetes.io/service-name";

    private Labels() {
    }

    /** All four labels of an object owned by {@code cluster}. */
    static Map<String, String> of(CacheCluster cluster) {
        Map<String, String> labels = selector(cluster);
        labels.put(MANAGED_BY, OPERATOR);
        return labels;
    }

    /**
     * The labels that select the node pods. Never changes for a cluster, because a Deployment's selector is
     * immutable.
     */
    static Map<String, String> selector(CacheCluster cluster) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, "ringcache");
        labels.put(INSTANCE, cluster.getMetadata().getName());
        labels.put(COMPONENT, "node");
        return labels;
    }

    /** {@link #selector} as a label selector string, the form the scale subresource reports. */
    static String selectorString(CacheCluster cluster) {
        return selector(cluster).entrySet().stream()
            .map(label -> label.getKey() + "=" + label.getValue())
            .collect(Collectors.joining(","));
    }

    /**
     * Metadata of an owned object named {@code name}, in the cluster's namespace, with {@link #of} labels and
     * the cluster as its controller: Kubernetes' garbage collector deletes it with the cluster, and
     * {@code kubectl} shows who manages it.
     */
    static ObjectMeta metadata(CacheCluster cluster, String name) {
        return new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(cluster.getMetadata().getNamespace())
            .withLabels(of(cluster))
            .addNewOwnerReference()
                .withApiVersion(cluster.getApiVersion())
                .withKind(cluster.getKind())
                .withName(cluster.getMetadata().getName())
                .withUid(cluster.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .build();
    }
}
