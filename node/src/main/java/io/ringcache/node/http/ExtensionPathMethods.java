package io.ringcache.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The health and metrics paths only read, like {@code /v1/groups}: OPTIONS names GET, HEAD and OPTIONS in Allow, and
 * any other method is the 405 problem {@link ProblemMapper} answers there. The smallrye-health and micrometer
 * extensions route their paths for every method, so a POST or DELETE was answered as a GET, and so was OPTIONS.
 */
@Singleton
public class ExtensionPathMethods {

    /**
     * {@code /q/health} and {@code /q/metrics} (application.properties) and every path under them, which the
     * extensions also serve ({@code /q/health/live}, {@code /q/health/group/{name}}, ...).
     */
    private static final String PATHS = "/q/(health|metrics)(/.*)?";
    /**
     * Ahead of the extensions' routes, which Vert.x orders as they were added (from 0), and after the framework's
     * filters (negative orders): the request timing that metrics read starts first.
     */
    private static final int ORDER = -1;

    private final ObjectMapper json;

    public ExtensionPathMethods(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(PATHS).order(ORDER).handler(this::check);
    }

    private void check(RoutingContext request) {
        HttpMethod method = request.request().method();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            request.next();
            return;
        }
        HttpServerResponse response = request.response().putHeader(HttpHeaders.ALLOW, AllowedMethods.READ_ONLY);
        if (method.equals(HttpMethod.OPTIONS)) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
            return;
        }
        RouteResponses.writeProblem(request, json,
                ProblemResponses.methodNotAllowedProblem(method.name(), AllowedMethods.READ_ONLY));
    }
}
