package io.ringcache.node.http;

/**
 * The paths the smallrye-health and micrometer extensions serve, where {@link ExtensionPathMethods} and
 * {@link ExtensionHeadWithoutContent} route ahead of them. A path that only looks
 * like theirs ({@code /q/health/x}) is served by neither, and is left to the 404 any path nobody serves gets, whatever
 * the method.
 */
final class ExtensionPaths {

    /**
     * As a regular expression of the normalized path Vert.x routes by (dot segments removed, repeated slashes
     * collapsed, unreserved characters decoded). The health extension's routes are exact paths, each also taken with
     * one trailing slash: {@code /q/health} and its {@code live}, {@code ready}, {@code started}, {@code well} and
     * {@code group}, then any path under {@code group/} (a group's name, known or not). Micrometer serves
     * {@code /q/metrics} (application.properties) and every path under it.
     */
    static final String SERVED = "/q/health(?:/(?:live|ready|started|well|group))?/?|/q/health/group/.*"
            + "|/q/metrics(?:/.*)?";
    /**
     * Ahead of the extensions' routes, which Vert.x orders as they were added (from 0), and after the framework's
     * filters (negative orders): the request timing that metrics read starts first.
     */
    static final int ROUTE_ORDER = -1;

    private ExtensionPaths() {
    }
}
