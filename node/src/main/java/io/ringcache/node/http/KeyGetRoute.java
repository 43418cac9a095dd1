package io.ringcache.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.ringcache.node.core.CacheNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/groups/{group}/keys/{key}} as a plain Vert.x route ahead of Quarkus REST, answering exactly as
 * {@link KeyResource#get} does. Why: a GET whose owner is another node completes later, on the peer connection's
 * event loop; Quarkus REST then suspends the request and resumes it in a new event-loop task that runs the rest of
 * its handler chain before writing, which made a remote GET cost measurably more CPU than the peer call itself.
 * Here the response is written in the value's completion. Paths {@link KeyGetPath} does not claim go on to
 * {@link KeyResource}, as do HEAD and every other method.
 */
@Singleton
public class KeyGetRoute {

    /** Quarkus REST's template for the resource method: metrics tag a request here with the same {@code uri}. */
    static final String PATH_TEMPLATE = "/v1/groups/{group}/keys/{key: .*}";
    /** The request-context local Quarkus' HTTP metrics read the {@code uri} tag from (Quarkus REST sets it too). */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final CacheNode node;
    private final ObjectMapper json;

    public KeyGetRoute(CacheNode node, ObjectMapper json) {
        this.node = node;
        this.json = json;
    }

    void register(@Observes Router router) {
        // Before the default route (static resources) and Quarkus REST (after it); after the framework's filters.
        router.get("/v1/groups/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::get);
    }

    private void get(RoutingContext request) {
        KeyGetPath path = KeyGetPath.parse(request.request().path(), request.normalizedPath());
        if (path == null) {
            request.next();
            return;
        }
        Context requestContext = Vertx.currentContext();
        requestContext.putLocal(URL_PATH_TEMPLATE, PATH_TEMPLATE);
        CompletableFuture<Optional<byte[]>> value;
        try {
            value = node.groups().get(path.group()).get(KeyPaths.decode(path.rawKey()));
        } catch (RuntimeException e) {
            writeProblem(request, ProblemResponses.problemOf(e));
            return;
        }
        if (value.isDone()) {
            answer(request, path.group(), value);
            return;
        }
        // A remote value completes on the peer connection's loop, a loaded one on the loader's thread: the response
        // is written on the request's own loop, directly when that is where the value arrived.
        Thread requestLoop = Thread.currentThread();
        value.whenComplete((found, error) -> {
            if (Thread.currentThread() == requestLoop) {
                answer(request, path.group(), value);
            } else {
                requestContext.runOnContext(ignored -> answer(request, path.group(), value));
            }
        });
    }

    private void answer(RoutingContext request, String group, CompletableFuture<Optional<byte[]>> done) {
        Optional<byte[]> found;
        try {
            found = done.join();
        } catch (RuntimeException e) {
            writeProblem(request, ProblemResponses.problemOf(e));
            return;
        }
        if (found.isEmpty()) {
            writeProblem(request, Problem.of(ProblemType.KEY_NOT_FOUND, "group '" + group + "' has no such key"));
            return;
        }
        RouteResponses.write(request.response().setStatusCode(200), MediaType.APPLICATION_OCTET_STREAM,
                Buffer.buffer(found.get()));
    }

    private void writeProblem(RoutingContext request, Problem problem) {
        RouteResponses.writeProblem(request, json, problem);
    }
}
