package io.ringcache.node.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.http.impl.HttpServerRequestWrapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A HEAD over HTTP/2 (h2c) on the health and metrics paths answers without content, as RFC 9110 (9.3.2) and RFC 9113
 * (8.1) ask. The extensions answer a HEAD as a GET, ending the response with the whole body: Vert.x drops it over
 * HTTP/1.1, but over HTTP/2 sends it in DATA frames. No hook on that response can hold it back (the call that sends the
 * headers sends the body), and a route cannot hand the routes after it another response; so such a HEAD is routed again
 * from the first route, as the same request with a {@link ContentlessResponse}, which also gives it the Content-Length
 * of the body it drops, as the GET carries ({@link ExtensionHeadContentLength} cannot count it over HTTP/2). Its first
 * routing ends here, ahead of every other route, so none of them runs twice. The wrapper is Vert.x's own (an impl
 * class, the one Vert.x Web extends): {@code HeadTest} pins the behaviour across upgrades.
 */
@Singleton
public class ExtensionHeadOverHttp2 {

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
        if (request.request().version() != HttpVersion.HTTP_2 || request.response() instanceof ContentlessResponse) {
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
