package io.ringcache.operator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Whether labels and annotations from the spec are ones the API server stores, by its own rules (apimachinery's
 * {@code IsQualifiedName} and {@code IsValidLabelValue}). The schema takes any map of strings, and the server would
 * refuse the pod template or the Service only after the workflow wrote the rest of the edit.
 */
final class MetadataCheck {

    /** A name part, and a whole label value: at most 63 characters, alphanumeric at both ends. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final int MAX_NAME_LENGTH = 63;
    private static final Pattern DNS_1123_SUBDOMAIN =
        Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_PREFIX_LENGTH = 253;

    private MetadataCheck() {
    }

    /**
     * Adds a problem for each key of {@code annotations} (at {@code field}) the API server refuses. It checks an
     * annotation key in lower case, so {@code Example.com/owner} is one, though no label key.
     */
    static void checkAnnotations(String field, Map<String, String> annotations, List<String> problems) {
        if (annotations != null) {
            new TreeMap<>(annotations).keySet().forEach(key -> {
                if (!isQualifiedName(key.toLowerCase(Locale.ROOT))) {
                    problems.add(keyProblem(field, key));
                }
            });
        }
    }

    /** Adds a problem for each key or value of {@code labels} (at {@code field}) the API server refuses. */
    static void checkLabels(String field, Map<String, String> labels, List<String> problems) {
        if (labels == null) {
            return;
        }
        new TreeMap<>(labels).forEach((key, value) -> {
            if (!isQualifiedName(key)) {
                problems.add(keyProblem(field, key));
            }
            if (value != null && !value.isEmpty() && !isName(value)) {
                problems.add(field + "." + key + ": '" + value + "' is not a label value; use at most 63 letters,"
                    + " digits, '-', '_' and '.', starting and ending with a letter or digit");
            }
        });
    }

    /** A name, optionally after a DNS subdomain prefix and {@code /}. */
    private static boolean isQualifiedName(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        boolean validPrefix = prefix == null
            || prefix.length() <= MAX_PREFIX_LENGTH && DNS_1123_SUBDOMAIN.matcher(prefix).matches();
        return validPrefix && isName(key.substring(slash + 1));
    }

    private static String keyProblem(String field, String key) {
        return field + ": '" + key + "' is not a label or annotation key; use a name of at most 63 letters, digits,"
            + " '-', '_' and '.', starting and ending with a letter or digit, optionally after a DNS subdomain prefix"
            + " in lower case and '/'";
    }

    private static boolean isName(String text) {
        return text.length() <= MAX_NAME_LENGTH && NAME.matcher(text).matches();
    }
}
