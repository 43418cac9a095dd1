package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the conditions of a new status from the previous ones. A condition keeps its
 * {@code lastTransitionTime} unless its status flips; otherwise every reconcile would rewrite the status.
 */
final class ConditionList {

    static final String TRUE = "True";
    static final String FALSE = "False";

    private final List<Condition> previous;
    private final long observedGeneration;
    private final Instant now;
    private final List<Condition> conditions = new ArrayList<>();

    ConditionList(List<Condition> previous, long observedGeneration, Instant now) {
        this.previous = previous != null ? previous : List.of();
        this.observedGeneration = observedGeneration;
        this.now = now;
    }

    /** Adds condition {@code type}; its transition time is now only if it is new or its status changed. */
    ConditionList set(String type, boolean status, String reason, String message) {
        String statusText = status ? TRUE : FALSE;
        String lastTransitionTime = previous.stream()
            .filter(old -> type.equals(old.getType()) && statusText.equals(old.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now.toString());
        conditions.add(new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(lastTransitionTime)
            .build());
        return this;
    }

    /** Adds {@code condition} as it is, for a condition this status has observed nothing new about. */
    ConditionList keep(Condition condition) {
        conditions.add(condition);
        return this;
    }

    List<Condition> toList() {
        return List.copyOf(conditions);
    }
}
