package io.ringcache.api;

/** The duration format the node reads (see docs/configuration.md), as the schema checks it. */
final class Durations {

    /**
     * A whole number above zero with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. The node
     * refuses a zero duration; one too long for it (over 106751d) is left to the operator's check.
     */
    static final String PATTERN = "^0*[1-9][0-9]*(ms|s|m|h|d)$";

    private Durations() {
    }
}
