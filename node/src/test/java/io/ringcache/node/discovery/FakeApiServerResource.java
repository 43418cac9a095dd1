package io.ringcache.node.discovery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link FakeApiServer} before Quarkus and points the Kubernetes client extension at it the way a
 * packaged node is pointed at an API server outside a pod: the {@code kubernetes.master} system property.
 * Kubeconfig and service-account lookups are switched off so nothing on the test machine interferes.
 */
public class FakeApiServerResource implements QuarkusTestResourceLifecycleManager {

    private static final String[] PROPERTIES = {"kubernetes.master", "kubernetes.auth.tryKubeConfig",
        "kubernetes.auth.tryServiceAccount"};

    /** The running server, for the test to play the EndpointSlice controller. */
    static FakeApiServer api;

    @Override
    public Map<String, String> start() {
        api = new FakeApiServer();
        System.setProperty("kubernetes.master", api.url());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        return Map.of();
    }

    @Override
    public void stop() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
        if (api != null) {
            api.close();
        }
    }
}
