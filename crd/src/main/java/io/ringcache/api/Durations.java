package io.ringcache.api;

/** The duration format the node reads (see docs/configuration.md), as the schema checks it. */
final class Durations {

    /** A whole number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    static final String PATTERN = "^[0-9]+(ms|s|m|h|d)$";

    private Durations() {
    }
}
