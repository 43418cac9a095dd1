package io.ringcache.node.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ringcache.node.config.ConfigException;
import io.ringcache.node.config.SettingKey;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Builds the {@link MembershipSource} that {@code ringcache.discovery} asks for, resolving {@code auto}:
 * {@code static} when {@code ringcache.peers} lists the members, else {@code kubernetes} when the node runs
 * in a pod (a service account token is mounted and {@code KUBERNETES_SERVICE_HOST} is set), else {@code static}
 * (a node alone).
 */
public final class MembershipSources {

    private static final Logger LOG = Logger.getLogger(MembershipSources.class);

    private MembershipSources() {
    }

    /**
     * @param settings the discovery settings
     * @param peerPort the port this node's peer server listens on (the bound one, when it was configured as 0)
     * @param pod this node's environment
     * @param kubernetes the Kubernetes client; called only when the source is Kubernetes discovery, so a static
     *     node never creates a client nor contacts an API server
     * @throws ConfigException naming the setting or variable that Kubernetes discovery lacks
     *     ({@code ringcache.discovery.service}, {@code POD_IPS} or {@code POD_IP}, {@code POD_NAMESPACE})
     */
    public static MembershipSource create(DiscoverySettings settings, int peerPort, PodEnvironment pod,
                                          Supplier<KubernetesClient> kubernetes) {
        DiscoverySettings.Mode mode = resolve(settings, pod);
        MembershipSource source = mode == DiscoverySettings.Mode.KUBERNETES
                ? kubernetes(settings, peerPort, pod, kubernetes)
                : new StaticMembershipSource(settings.self().orElse("127.0.0.1:" + peerPort), settings.peers());
        LOG.infof("Discovery %s%s", source.description(),
                settings.mode() == DiscoverySettings.Mode.AUTO ? " (chosen by ringcache.discovery=auto)" : "");
        return source;
    }

    /** {@code static} or {@code kubernetes}: the configured mode, or what {@code auto} means here. */
    public static DiscoverySettings.Mode resolve(DiscoverySettings settings, PodEnvironment pod) {
        if (settings.mode() != DiscoverySettings.Mode.AUTO) {
            return settings.mode();
        }
        return settings.peers().isEmpty() && pod.inPod() ? DiscoverySettings.Mode.KUBERNETES : DiscoverySettings.Mode.STATIC;
    }

    private static MembershipSource kubernetes(DiscoverySettings settings, int peerPort, PodEnvironment pod,
                                               Supplier<KubernetesClient> kubernetes) {
        String service = settings.service().orElseThrow(() -> new ConfigException(SettingKey.DISCOVERY_SERVICE.key(),
                "is required with Kubernetes discovery (ringcache.discovery=" + settings.mode().configName()
                        + " in a pod): set it to the headless Service whose EndpointSlices list the nodes, or set "
                        + "ringcache.discovery=static"));
        List<String> podIps = pod.podIps();
        String namespace = pod.namespace();
        KubernetesClient client = kubernetes.get();
        SliceQuery query = new SliceQuery(namespace, service, pod.serviceAccount(), client.getMasterUrl().toString());
        return new EndpointSliceMembershipSource(client, query, podIps, peerPort,
                EndpointSliceMembershipSource.DEFAULT_INITIAL_BACKOFF, EndpointSliceMembershipSource.DEFAULT_MAX_BACKOFF);
    }
}
