package io.ringcache.node.discovery;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * What Kubernetes discovery reads (the EndpointSlices of one Service in one namespace) and, when reading
 * fails, a one-line explanation that names what is missing and how to fix it.
 *
 * @param namespace the node's namespace, where the Service and its slices live
 * @param service the headless Service whose slices list the nodes
 * @param serviceAccount the node's service account as the API server names it, if known
 * @param apiServer the API server's URL
 */
record SliceQuery(String namespace, String service, Optional<String> serviceAccount, String apiServer) {

    /** The label the EndpointSlice controller puts on every slice of a Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** For logs: {@code EndpointSlices of service 'x' in namespace 'y'}. */
    String describe() {
        return "EndpointSlices of service '" + service + "' in namespace '" + namespace + "'";
    }

    /**
     * One line saying why reading the slices failed and what to do. Never includes a stack trace; the API
     * server's own message is quoted (on one line) because it names the user it refused.
     *
     * @param operation {@code list} or {@code watch}
     * @param meanwhile what the node does until it succeeds, the line's last sentence
     */
    String explain(String operation, Throwable failure, String meanwhile) {
        String prefix = "Kubernetes discovery cannot " + operation + " " + describe() + ": ";
        KubernetesClientException api = find(failure, KubernetesClientException.class);
        // Fabric8 reports "no HTTP response at all" (refused, reset, timed out) as a code below 1.
        int code = api == null ? 0 : Math.max(0, api.getCode());
        String server = api != null && api.getStatus() != null && api.getStatus().getMessage() != null
                ? " (API server: \"" + oneLine(api.getStatus().getMessage()) + "\")" : "";
        String retry = ". " + meanwhile;
        return switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN -> prefix + "forbidden (HTTP 403)" + server + ". The service account "
                    + serviceAccount.map(sa -> "'" + sa + "'").orElse("of this pod") + " needs get, list and watch on "
                    + "endpointslices.discovery.k8s.io in namespace '" + namespace + "': grant them with a Role and "
                    + "RoleBinding (see docs/configuration.md, Kubernetes permissions)" + retry;
            case HttpURLConnection.HTTP_UNAUTHORIZED -> prefix + "the API server rejected the node's credentials "
                    + "(HTTP 401)" + server + "; check that the service account token is mounted "
                    + "(automountServiceAccountToken)" + retry;
            case HttpURLConnection.HTTP_NOT_FOUND -> prefix + "not found (HTTP 404)" + server + "; the API server must "
                    + "serve discovery.k8s.io/v1 (Kubernetes 1.21 or later) and namespace '" + namespace + "' must exist"
                    + retry;
            case 0 -> prefix + "no answer from the API server at " + apiServer + " (" + rootMessage(failure) + ")" + retry;
            default -> prefix + "HTTP " + code + server + retry;
        };
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + oneLine(root.getMessage());
        return root.getClass().getSimpleName() + message;
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
