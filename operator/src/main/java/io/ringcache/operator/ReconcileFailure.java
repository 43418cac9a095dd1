package io.ringcache.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says in one line why a reconcile failed, for the Degraded condition: per failed dependent, the API server's own
 * message (it names the object and the rule it broke) rather than the client's stack of wrappers.
 */
final class ReconcileFailure {

    /** Long enough for a few API server messages; a condition is read in {@code kubectl describe}, not a log. */
    static final int MAX_MESSAGE_LENGTH = 1024;

    private ReconcileFailure() {
    }

    /** {@code e} as {@code dependent: message; dependent: message}, at most {@value #MAX_MESSAGE_LENGTH} characters. */
    static String describe(Exception e) {
        String message;
        if (e instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
            message = aggregated.getAggregatedExceptions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(failure -> failure.getKey() + ": " + reason(failure.getValue()))
                .collect(Collectors.joining("; "));
        } else {
            message = reason(e);
        }
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException refused && refused.getStatus() != null
                && refused.getStatus().getMessage() != null) {
                return refused.getStatus().getMessage() + " (HTTP " + refused.getCode() + ")";
            }
            root = cause;
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
