package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Degraded message of a failed reconcile: each failed dependent with the API server's own words. */
class ReconcileFailureTest {

    static KubernetesClientException refused(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void failedDependentsAreNamedWithTheServersMessage() {
        Map<String, Exception> failures = new LinkedHashMap<>();
        failures.put("node-role", new IllegalStateException("wrapped", refused(403, "roles is forbidden")));
        failures.put("autoscaler", refused(422, "spec.maxReplicas: Invalid value: 0"));
        String message = ReconcileFailure.describe(new AggregatedOperatorException("workflow failed", failures));
        assertThat(message).isEqualTo(
            "autoscaler: spec.maxReplicas: Invalid value: 0 (HTTP 422); node-role: roles is forbidden (HTTP 403)");
    }

    @Test
    void otherFailuresGiveTheirRootCause() {
        assertThat(ReconcileFailure.describe(new RuntimeException("outer", new ArithmeticException("overflow"))))
            .isEqualTo("overflow");
    }

    @Test
    void longMessagesAreCut() {
        String message = ReconcileFailure.describe(new IllegalStateException("x".repeat(5000)));
        assertThat(message).hasSize(ReconcileFailure.MAX_MESSAGE_LENGTH).endsWith("...");
    }
}
