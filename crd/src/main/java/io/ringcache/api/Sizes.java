package io.ringcache.api;

/** The byte sizes the node reads (see docs/configuration.md), as the schema checks them. */
final class Sizes {

    /**
     * CEL: a Kubernetes quantity that is a whole number of bytes above zero. {@code isQuantity} alone lets
     * {@code 0}, {@code -1Gi} and {@code 100m} (a tenth of a byte) through, none of which a node can run with.
     */
    static final String POSITIVE_WHOLE_BYTES =
        "isQuantity(self) && quantity(self).isInteger() && quantity(self).asInteger() > 0";

    private Sizes() {
    }
}
