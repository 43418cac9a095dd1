package io.ringcache.node.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.http.impl.HttpServerRequestWrapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A HEAD on the health and metrics paths carries the Content-Length its GET does and no content, as RFC 9110 (9.3.2)
 * and RFC 9113 (8.1) ask (load balancers and {@code curl -I} read the length). The extensions answer a HEAD as a GET,
 * ending the response with the whole body: Vert.x drops it over HTTP/1.1, with the length it would have counted, and
 * over HTTP/2 sends it in DATA frames. No hook on that response can hold the body back (the call that sends the
 * headers sends it), and a route cannot hand the routes after it another response; so such a HEAD is routed again
 * from the first route, as the same request with a {@link ContentlessResponse}, which drops the body and gives the
 * HEAD that body's Content-Length, over either version. Its first routing ends here, ahead of every other route, so
 * none of them runs twice. The wrapper is Vert.x's own (an impl class, the one Vert.x Web extends): {@code HeadTest}
 * pins the behaviour across upgrades. {@link HeadContentLength} does the same for Quarkus REST's answers.
 */
@Singleton
public class ExtensionHeadWithoutContent {

    /**
     * Ahead of the framework's filters, and of its first routes (request start time, access log), which Quarkus adds
     * at this order after the Router event: they run on the second routing only.
     */
    private static final int ROUTE_ORDER = Integer.MIN_VALUE;

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.HEAD, ExtensionPaths.SERVED).order(ROUTE_ORDER)
                .handler(request -> routeWithoutContent(router, request));
    }

    private static void routeWithoutContent(Router router, RoutingContext request) {
        if (request.response() instanceof ContentlessResponse) {
            request.next();
            return;
        }
        router.handle(new ContentlessRequest((HttpServerRequestInternal) request.request()));
    }

    /** The request as it came, answered through a {@link ContentlessResponse}. */
    private static final class ContentlessRequest extends HttpServerRequestWrapper {

        private final ContentlessResponse response;

        ContentlessRequest(HttpServerRequestInternal request) {
            super(request);
            response = new ContentlessResponse(request.response());
        }

        @Override
        public HttpServerResponse response() {
            return response;
        }
    }
}
