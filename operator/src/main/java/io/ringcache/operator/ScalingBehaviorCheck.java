package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;

/**
 * Whether {@code spec.autoscaling.behavior} is one the API server takes for a HorizontalPodAutoscaler, by its own
 * rules (Kubernetes' HPA validation). The schema takes any behavior, and the server would refuse the HPA only after
 * the workflow wrote the rest of the edit.
 */
final class ScalingBehaviorCheck {

    private static final String FIELD = "spec.autoscaling.behavior.";
    private static final List<String> SELECT_POLICIES = List.of("Max", "Min", "Disabled");
    private static final List<String> POLICY_TYPES = List.of("Pods", "Percent");
    private static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;

    private ScalingBehaviorCheck() {
    }

    /** Adds a problem for each value of {@code behavior} the API server refuses; none for an absent behavior. */
    static void check(HorizontalPodAutoscalerBehavior behavior, List<String> problems) {
        if (behavior != null) {
            check("scaleUp", behavior.getScaleUp(), problems);
            check("scaleDown", behavior.getScaleDown(), problems);
        }
    }

    private static void check(String direction, HPAScalingRules rules, List<String> problems) {
        if (rules == null) {
            return;
        }
        String field = FIELD + direction + ".";
        Integer window = rules.getStabilizationWindowSeconds();
        if (window != null && (window < 0 || window > MAX_STABILIZATION_WINDOW_SECONDS)) {
            problems.add(field + "stabilizationWindowSeconds: " + window + " is not from 0 to "
                + MAX_STABILIZATION_WINDOW_SECONDS);
        }
        if (rules.getSelectPolicy() != null) {
            oneOf(field + "selectPolicy", rules.getSelectPolicy(), SELECT_POLICIES, problems);
        }
        List<HPAScalingPolicy> policies = rules.getPolicies() != null ? rules.getPolicies() : List.of();
        for (int i = 0; i < policies.size(); i++) {
            HPAScalingPolicy policy = policies.get(i);
            String policyField = field + "policies[" + i + "].";
            oneOf(policyField + "type", policy.getType(), POLICY_TYPES, problems);
            if (policy.getValue() == null || policy.getValue() <= 0) {
                problems.add(policyField + "value: " + policy.getValue() + " is not above zero");
            }
            Integer period = policy.getPeriodSeconds();
            if (period == null || period <= 0 || period > AutoscalerDependent.MAX_PERIOD_SECONDS) {
                problems.add(policyField + "periodSeconds: " + period + " is not from 1 to "
                    + AutoscalerDependent.MAX_PERIOD_SECONDS);
            }
        }
    }

    private static void oneOf(String field, String value, List<String> allowed, List<String> problems) {
        if (!allowed.contains(value)) {
            problems.add(field + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }
}
