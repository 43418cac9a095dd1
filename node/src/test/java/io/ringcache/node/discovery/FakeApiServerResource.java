package io.ringcache.node.discovery;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link FakeApiServer} before Quarkus and points the Kubernetes client extension at it the way a
 * packaged node is pointed at an API server outside a pod: {@code quarkus.kubernetes-client.api-server-url}.
 * Kubeconfig and service-account lookups are switched off so nothing on the test machine interferes.
 */
public class FakeApiServerResource implements QuarkusTestResourceLifecycleManager {

    private static final String[] PROPERTIES = {"kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount"};

    /** The running server, for the test to play the EndpointSlice controller. */
    static FakeApiServer api;

    @Override
    public Map<String, String> start() {
        api = new FakeApiServer();
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        return Map.of("quarkus.kubernetes-client.api-server-url", api.url());
    }

    @Override
    public void stop() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
        // Quarkus binds meters to Micrometer's global registry, which outlives this application in the test JVM:
        // without this, the next @QuarkusTest application would get this one's per-group meters (reading groups
        // that no longer exist, NaN) instead of registering its own.
        Metrics.globalRegistry.clear();
        if (api != null) {
            api.close();
        }
    }
}
