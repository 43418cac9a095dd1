package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/**
 * The Role {@code <name>-node}: read EndpointSlices in the cluster's namespace, the only API access a node
 * needs to learn the ring. The operator holds the same rule, which Kubernetes requires before it lets the
 * operator grant it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeRoleDependent extends CRUDKubernetesDependentResource<Role, CacheCluster> {

    public NodeRoleDependent() {
        super(Role.class);
    }

    @Override
    protected Role desired(CacheCluster cluster, Context<CacheCluster> context) {
        return new RoleBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.node(cluster)))
            .withRules(new PolicyRuleBuilder()
                .withApiGroups("discovery.k8s.io")
                .withResources("endpointslices")
                .withVerbs("get", "list", "watch")
                .build())
            .build();
    }
}
