package io.ringcache.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A ring of ringcache nodes. Users write {@link CacheClusterSpec}; the operator writes
 * {@link CacheClusterStatus}. The CRD has a scale subresource, so {@code kubectl scale} and a
 * HorizontalPodAutoscaler change {@code spec.replicas} like any edit does.
 */
@Group(CacheCluster.GROUP)
@Version(CacheCluster.VERSION)
@Kind("CacheCluster")
@Plural("cacheclusters")
@ShortNames("cc")
// The generator orders columns by JSON path, so kubectl shows Age, Replicas, Status, HTTP-Port, Ready.
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "HTTP-Port", jsonPath = ".status.nodePorts.http", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
// The operator derives Service names (<name>, <name>-peers) and label values from the name: both are limited to
// 63 characters, and Service names to DNS-1035 labels.
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')"
    + " && size(self.metadata.name) <= 57",
    message = "metadata.name must be at most 57 lowercase letters, digits and '-', starting with a letter and ending"
        + " with a letter or digit: the cluster's Services are named after it")
public class CacheCluster extends CustomResource<CacheClusterSpec, CacheClusterStatus> implements Namespaced {

    public static final String GROUP = "ringcache.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected CacheClusterSpec initSpec() {
        return new CacheClusterSpec();
    }
}
