package io.ringcache.node.http;

/**
 * The group and the raw (still percent-encoded) key of a {@code GET /v1/groups/{group}/keys/{key}} path that
 * {@link KeyGetRoute} serves itself. It claims only paths whose group and key are plain substrings of the path
 * as sent; every other path is left to {@link KeyResource}, so Quarkus REST keeps deciding what dot segments,
 * empty segments, matrix parameters, a trailing slash or an escaped group name mean.
 *
 * @param group the group's name, exactly as in the path
 * @param rawKey everything after {@code /keys/}, for {@link KeyPaths#decode}
 */
record KeyGetPath(String group, String rawKey) {

    private static final String GROUPS = "/v1/groups/";
    private static final String KEYS = "/keys/";

    /**
     * @param path the request's path as sent (no query)
     * @param normalizedPath the same path after the router's normalization (unreserved escapes decoded, dot
     *                       segments removed); a path it changed is not claimed
     * @return the group and raw key, or {@code null} when the path is not one this route claims
     */
    static KeyGetPath parse(String path, String normalizedPath) {
        if (!path.startsWith(GROUPS) || !path.equals(normalizedPath) || path.endsWith("/")) {
            return null;
        }
        int groupEnd = path.indexOf('/', GROUPS.length());
        if (groupEnd <= GROUPS.length() || !path.startsWith(KEYS, groupEnd)) {
            return null;
        }
        for (int i = GROUPS.length(); i < path.length(); i++) {
            char c = path.charAt(i);
            boolean claimed = c > ' ' && c < 0x7f && c != ';'
                    && !(c == '/' && path.charAt(i - 1) == '/')
                    && !(c == '%' && i < groupEnd);
            if (!claimed) {
                return null;
            }
        }
        return new KeyGetPath(path.substring(GROUPS.length(), groupEnd), path.substring(groupEnd + KEYS.length()));
    }
}
