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
 * extensions route their paths for every method, so a POST or DELETE was answered as a GET, and so was OPTIONS. Only
 * the paths they serve ({@link ExtensionPaths}): any method on another path is a 404, as its GET is.
 */
@Singleton
public class ExtensionPathMethods {

    private final ObjectMapper json;

    public ExtensionPathMethods(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(ExtensionPaths.SERVED).order(ExtensionPaths.ROUTE_ORDER).handler(this::check);
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
