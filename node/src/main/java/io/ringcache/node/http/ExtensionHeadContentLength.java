package io.ringcache.node.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A HEAD on the health and metrics paths carries the Content-Length their GET does, as RFC 9110 asks (and load
 * balancers and {@code curl -I} read). The extensions answer a HEAD as a GET, ending the response with the whole
 * body, which Vert.x drops for a HEAD together with the Content-Length it would have counted from it. That count is
 * made here when the headers go out over HTTP/1.x: the body has been handed to Vert.x by then, and counted in
 * {@link HttpServerResponse#bytesWritten()}. Over HTTP/2 the {@link ContentlessResponse} that
 * {@link ExtensionHeadOverHttp2} answers such a HEAD through counts the body it drops. {@link HeadContentLength} does
 * the same for Quarkus REST's answers.
 */
@Singleton
public class ExtensionHeadContentLength {

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.HEAD, ExtensionPaths.SERVED).order(ExtensionPaths.ROUTE_ORDER)
                .handler(ExtensionHeadContentLength::countBody);
    }

    private static void countBody(RoutingContext request) {
        // Over HTTP/2 Vert.x sends the headers before counting the body, so the count would be 0: ContentlessResponse
        // sets the length there, from the body it is ended with.
        if (request.request().version() != HttpVersion.HTTP_2) {
            HttpServerResponse response = request.response();
            request.addHeadersEndHandler(ignored -> {
                // Not ended: the body is being written in chunks, its length unknown when the headers go out.
                if (response.ended() && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(response.bytesWritten()));
                }
            });
        }
        request.next();
    }
}
