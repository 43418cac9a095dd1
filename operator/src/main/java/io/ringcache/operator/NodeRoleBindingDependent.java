package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;

/** The RoleBinding {@code <name>-node}: grants {@link NodeRoleDependent}'s Role to the nodes' ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeRoleBindingDependent extends CRUDKubernetesDependentResource<RoleBinding, CacheCluster> {

    public NodeRoleBindingDependent() {
        super(RoleBinding.class);
    }

    @Override
    protected RoleBinding desired(CacheCluster cluster, Context<CacheCluster> context) {
        String name = ObjectNames.node(cluster);
        return new RoleBindingBuilder()
            .withMetadata(Labels.metadata(cluster, name))
            .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(name)
            .endRoleRef()
            .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
            .endSubject()
            .build();
    }
}
