package io.ringcache.node.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the ring's members come from.
 *
 * @param mode {@code static}, {@code kubernetes}, or {@code auto} (Kubernetes inside a pod, static elsewhere)
 * @param self this node's member id in static mode ({@code host:port} of its peer endpoint); empty means
 *     {@code 127.0.0.1:<peer-port>}, which suits a node alone. In Kubernetes mode the id is {@code <pod IP>:<peer-port>}
 *     with the pod's IP that the Service's EndpointSlices list ({@code POD_IPS}, else {@code POD_IP}).
 * @param peers the other members in static mode ({@code host:port}); this node is added if missing
 * @param service in Kubernetes mode, the headless Service whose EndpointSlices list the members
 */
public record DiscoverySettings(Mode mode, Optional<String> self, List<String> peers, Optional<String> service) {

    /** The member sources a node can use. */
    public enum Mode {
        AUTO, STATIC, KUBERNETES;

        /** The name as configured: {@code auto}, {@code static}, {@code kubernetes}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final DiscoverySettings DEFAULTS = new DiscoverySettings(Mode.AUTO, Optional.empty(), List.of(),
            Optional.empty());

    public DiscoverySettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(self, "self");
        peers = List.copyOf(peers);
        Objects.requireNonNull(service, "service");
    }
}
