package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reconciles a CacheCluster: when {@link SpecCheck} finds nothing wrong with the spec, the workflow creates or
 * updates every owned object from it; otherwise nothing is touched. Then this class reports status (with the
 * spec's problems, if any), and looks again shortly while the nodes are not all ready.
 */
@ControllerConfiguration(name = CacheClusterReconciler.NAME)
// Invoked by reconcile() only for a spec without problems, so a bad spec is never half-applied.
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "peer-service", type = PeerServiceDependent.class),
    @Dependent(name = "client-service", type = ClientServiceDependent.class),
    @Dependent(name = "node-config", type = NodeConfigMapDependent.class),
    @Dependent(name = "node-service-account", type = NodeServiceAccountDependent.class),
    @Dependent(name = "node-role", type = NodeRoleDependent.class),
    @Dependent(name = "node-role-binding", type = NodeRoleBindingDependent.class,
        dependsOn = {"node-service-account", "node-role"}),
    @Dependent(name = "node-deployment", type = NodeDeploymentDependent.class,
        dependsOn = {"node-config", "node-role-binding"}),
    @Dependent(name = "autoscaler", type = AutoscalerDependent.class, reconcilePrecondition = AutoscalingEnabled.class),
    @Dependent(name = "disruption-budget", type = DisruptionBudgetDependent.class,
        reconcilePrecondition = DisruptionBudgetNeeded.class),
    @Dependent(name = "network-policy", type = NetworkPolicyDependent.class,
        reconcilePrecondition = NetworkPolicyEnabled.class),
})
// The operator's RBAC is declared in application.properties (quarkus.kubernetes.rbac.*), not generated from this class.
public class CacheClusterReconciler implements Reconciler<CacheCluster> {

    static final String NAME = "cachecluster";
    /** How soon to look again while nodes are starting; events usually come sooner. */
    static final Duration NOT_READY_RECHECK = Duration.ofSeconds(10);

    @Override
    public UpdateControl<CacheCluster> reconcile(CacheCluster cluster, Context<CacheCluster> context) {
        List<String> specProblems = SpecCheck.problems(cluster);
        if (specProblems.isEmpty()) {
            // Throws when a dependent fails; updateErrorStatus reports it and the operator SDK retries.
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        }
        CacheClusterStatus status = StatusCalculator.compute(cluster,
            context.getSecondaryResource(Deployment.class),
            clientService(cluster, context),
            context.getSecondaryResources(EndpointSlice.class),
            specProblems,
            Instant.now());
        return statusUpdate(cluster, status, written -> StatusWriter.write(cluster, written, context));
    }

    /**
     * A failed reconcile shows as Degraded with the reason (the rest of the status stays as last observed); the
     * operator SDK retries it with backoff for as long as it fails (see application.properties).
     */
    @Override
    public ErrorStatusUpdateControl<CacheCluster> updateErrorStatus(CacheCluster cluster, Context<CacheCluster> context,
                                                                   Exception e) {
        CacheClusterStatus status = StatusCalculator.failed(cluster, ReconcileFailure.describe(e), Instant.now());
        if (!status.equals(cluster.getStatus())) {
            try {
                StatusWriter.write(cluster, status, context);
            } catch (RuntimeException writeFailure) {
                // The failure that brought us here stays the one logged and retried; this one travels with it.
                e.addSuppressed(writeFailure);
            }
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * Writes the status only when it differs from the one the cluster has (so an unchanged cluster causes no
     * write), and looks again after {@link #NOT_READY_RECHECK} while not every node is ready. {@code write} makes
     * the write ({@link StatusWriter}); the returned control only schedules the next look.
     */
    static UpdateControl<CacheCluster> statusUpdate(CacheCluster cluster, CacheClusterStatus status,
                                                    Consumer<CacheClusterStatus> write) {
        if (!status.equals(cluster.getStatus())) {
            write.accept(status);
        }
        UpdateControl<CacheCluster> control = UpdateControl.noUpdate();
        return StatusCalculator.isReady(status) ? control : control.rescheduleAfter(NOT_READY_RECHECK);
    }

    /**
     * The client Service as the API server has it now. Read directly rather than from the dependent's cache:
     * node ports allocated after the operator's own write could otherwise be missed until the next change.
     */
    private static Optional<Service> clientService(CacheCluster cluster, Context<CacheCluster> context) {
        return Optional.ofNullable(context.getClient().services()
            .inNamespace(cluster.getMetadata().getNamespace()).withName(ObjectNames.cluster(cluster)).get());
    }

    /**
     * Watches the EndpointSlices Kubernetes makes for the owned Services. The EndpointSlice controller copies
     * a Service's labels to its slices, so they carry the owning cluster's instance label.
     */
    @Override
    public List<EventSource<?, CacheCluster>> prepareEventSources(EventSourceContext<CacheCluster> context) {
        InformerEventSourceConfiguration<EndpointSlice> slices =
            InformerEventSourceConfiguration.from(EndpointSlice.class, CacheCluster.class)
                .withName("endpoint-slices")
                .withLabelSelector(Labels.MANAGED_BY_SELECTOR)
                .withSecondaryToPrimaryMapper(slice -> Set.of(new ResourceID(
                    slice.getMetadata().getLabels().get(Labels.INSTANCE), slice.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(slices, context));
    }
}
