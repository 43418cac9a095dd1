package io.ringcache.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Responses written by a plain Vert.x route, in the shape Quarkus REST gives a resource's. */
final class RouteResponses {

    /** Same spelling as Quarkus REST's responses. */
    private static final String CONTENT_TYPE = "Content-Type";

    private RouteResponses() {
    }

    /** {@code problem} as {@code application/problem+json}, its status the response's. */
    static void writeProblem(RoutingContext request, ObjectMapper json, Problem problem) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            request.fail(e);
            return;
        }
        write(request.response().setStatusCode(problem.status()), Problem.MEDIA_TYPE, Buffer.buffer(body));
    }

    /** Ends {@code response} with {@code body}, its length in Content-Length. */
    static void write(HttpServerResponse response, String contentType, Buffer body) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                .putHeader(CONTENT_TYPE, contentType)
                .end(body);
    }
}
