package io.ringcache.node.discovery;

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
        if (api != null) {
            api.close();
        }
    }
}
