package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterSpec;
import io.ringcache.api.SchedulingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Deployment {@code <name>} running the nodes. Its replicas are {@code spec.replicas}: the operator is the
 * only writer of this field. The pod template mounts the ConfigMap named for the rendered {@link NodeConfiguration},
 * so a configuration change rolls the pods while a replica change never does.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY_SELECTOR))
public class NodeDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, CacheCluster> {

    /** The operator setting naming the node image used when a CacheCluster names none. */
    static final String NODE_IMAGE_SETTING = "ringcache.operator.node-image";
    /** The volume holding the node ConfigMap. */
    static final String CONFIG_VOLUME = "config";
    static final String CONFIG_DIR = "/etc/ringcache";
    static final String POD_IP = "POD_IP";
    /** Every IP of the pod: a dual-stack node needs the one of the family its peer Service's EndpointSlices list. */
    static final String POD_IPS = "POD_IPS";
    static final String POD_NAMESPACE = "POD_NAMESPACE";
    static final String CONFIG_LOCATIONS = "QUARKUS_CONFIG_LOCATIONS";
    /** Environment variables the operator sets on every node; a CacheCluster's env may not name them. */
    static final List<String> OPERATOR_ENV = List.of(POD_IP, POD_IPS, POD_NAMESPACE, CONFIG_LOCATIONS);
    /** Made from {@code spec.jvmOptions}. */
    static final String JAVA_OPTS = "JAVA_OPTS";
    /** Lets endpoint removal reach clients and peers before the node stops accepting requests. */
    static final long PRE_STOP_SLEEP_SECONDS = 5;

    private final String defaultImage;

    public NodeDeploymentDependent() {
        this(ConfigProvider.getConfig().getValue(NODE_IMAGE_SETTING, String.class));
    }

    NodeDeploymentDependent(String defaultImage) {
        super(Deployment.class);
        this.defaultImage = defaultImage;
    }

    @Override
    protected Deployment desired(CacheCluster cluster, Context<CacheCluster> context) {
        CacheClusterSpec spec = cluster.getSpec();
        return new DeploymentBuilder()
            .withMetadata(Labels.metadata(cluster, ObjectNames.cluster(cluster)))
            .withNewSpec()
                .withReplicas(spec.getReplicas())
                .withNewSelector().withMatchLabels(Labels.selector(cluster)).endSelector()
                .withNewStrategy()
                    .withType("RollingUpdate")
                    // A new node joins before an old one leaves: the ring never shrinks during a rollout.
                    .withNewRollingUpdate()
                        .withMaxUnavailable(new IntOrString(0))
                        .withMaxSurge(new IntOrString(1))
                    .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                    .withNewMetadata()
                        .withLabels(podLabels(cluster))
                        .withAnnotations(podAnnotations(cluster))
                    .endMetadata()
                    .withNewSpec()
                        .withServiceAccountName(ObjectNames.node(cluster))
                        .withTerminationGracePeriodSeconds(ShutdownGrace.podSeconds(spec.getCache()))
                        .withNewSecurityContext()
                            .withRunAsNonRoot(true)
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .endSecurityContext()
                        .withContainers(container(cluster))
                        // Named for its content: a configuration change changes the template and rolls the nodes.
                        .addNewVolume()
                            .withName(CONFIG_VOLUME)
                            .withNewConfigMap().withName(ObjectNames.config(cluster)).endConfigMap()
                        .endVolume()
                        // The root filesystem is read-only; the JVM and Vert.x still need a scratch directory.
                        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .withNodeSelector(scheduling(spec).getNodeSelector())
                        .withTolerations(scheduling(spec).getTolerations())
                        .withTopologySpreadConstraints(scheduling(spec).getTopologySpreadConstraints())
                        .withAffinity(affinity(cluster))
                    .endSpec()
                .endTemplate()
            .endSpec()
            .build();
    }

    private Container container(CacheCluster cluster) {
        CacheClusterSpec spec = cluster.getSpec();
        return new ContainerBuilder()
            .withName("node")
            .withImage(spec.getImage() != null ? spec.getImage() : defaultImage)
            .withImagePullPolicy(spec.getImagePullPolicy())
            .withPorts(port("http", ContainerPorts.HTTP), port("peer", ContainerPorts.PEER),
                port("resp", ContainerPorts.RESP))
            .withEnv(env(spec))
            .withResources(spec.getResources())
            .addNewVolumeMount().withName(CONFIG_VOLUME).withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
            .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
            .withLivenessProbe(probe("/q/health/live", 10))
            .withReadinessProbe(probe("/q/health/ready", 5))
            .withNewLifecycle()
                .withNewPreStop().withNewSleep(PRE_STOP_SLEEP_SECONDS).endPreStop()
            .endLifecycle()
            .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
            .endSecurityContext()
            .build();
    }

    private static List<EnvVar> env(CacheClusterSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldRef(POD_IP, "status.podIP"));
        env.add(fieldRef(POD_IPS, "status.podIPs"));
        env.add(fieldRef(POD_NAMESPACE, "metadata.namespace"));
        env.add(new EnvVar(CONFIG_LOCATIONS, CONFIG_DIR + "/" + NodeConfiguration.FILE_NAME, null));
        if (spec.getJvmOptions() != null && !spec.getJvmOptions().isEmpty()) {
            env.add(new EnvVar(JAVA_OPTS, String.join(" ", spec.getJvmOptions()), null));
        }
        if (spec.getEnv() != null) {
            env.addAll(spec.getEnv());
        }
        return env;
    }

    /** {@code apiVersion: v1} is what the server stores; leaving it out would make every reconcile differ. */
    private static EnvVar fieldRef(String name, String fieldPath) {
        return new EnvVarBuilder()
            .withName(name)
            .withNewValueFrom().withNewFieldRef("v1", fieldPath).endValueFrom()
            .build();
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    private static Probe probe(String path, int periodSeconds) {
        return new ProbeBuilder()
            .withNewHttpGet().withPath(path).withNewPort("http").withScheme("HTTP").endHttpGet()
            .withPeriodSeconds(periodSeconds)
            .withTimeoutSeconds(1)
            .withSuccessThreshold(1)
            .withFailureThreshold(3)
            .build();
    }

    /** User labels first, so they can never replace the selector labels the Deployment depends on. */
    private static Map<String, String> podLabels(CacheCluster cluster) {
        Map<String, String> labels = new TreeMap<>();
        if (cluster.getSpec().getPodLabels() != null) {
            labels.putAll(cluster.getSpec().getPodLabels());
        }
        labels.putAll(Labels.of(cluster));
        return labels;
    }

    /** The user's, sorted; none is null rather than empty, which the API server would drop. */
    private static Map<String, String> podAnnotations(CacheCluster cluster) {
        Map<String, String> annotations = cluster.getSpec().getPodAnnotations();
        return annotations == null || annotations.isEmpty() ? null : new TreeMap<>(annotations);
    }

    private static SchedulingSpec scheduling(CacheClusterSpec spec) {
        return spec.getScheduling() != null ? spec.getScheduling() : new SchedulingSpec();
    }

    /**
     * The user's affinity, or, when no scheduling is given at all, a preference for one node per host: losing
     * a host then loses as few ring members as the cluster allows.
     */
    private static Affinity affinity(CacheCluster cluster) {
        SchedulingSpec scheduling = scheduling(cluster.getSpec());
        boolean unconstrained = isEmpty(scheduling.getNodeSelector()) && isEmpty(scheduling.getTolerations())
            && scheduling.getAffinity() == null && isEmpty(scheduling.getTopologySpreadConstraints());
        if (!unconstrained) {
            return scheduling.getAffinity();
        }
        return new AffinityBuilder()
            .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(100)
                    .withNewPodAffinityTerm()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withNewLabelSelector().withMatchLabels(Labels.selector(cluster)).endLabelSelector()
                    .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
            .endPodAntiAffinity()
            .build();
    }

    private static boolean isEmpty(Map<?, ?> map) {
        return map == null || map.isEmpty();
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
