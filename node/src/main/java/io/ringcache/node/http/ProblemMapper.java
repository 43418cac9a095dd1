package io.ringcache.node.http;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every exception that leaves a resource method, or that Quarkus REST raises routing a request, becomes a problem. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response toProblem(Throwable error, RoutingContext request) {
        // The path Quarkus REST matched: with dot segments removed, which may make a key's path of another or not.
        String path = request.normalizedPath();
        String method = request.request().method().name();
        // Quarkus REST refuses a method the resource at a path has no method for with a 405 that names no allowed
        // method, or on a key with a 404 (it tries the /v1/groups resource next, which has no such path either).
        boolean unnamed405 = error instanceof NotAllowedException notAllowed
                && notAllowed.getResponse().getHeaderString(HttpHeaders.ALLOW) == null;
        boolean keyMethod404 = error instanceof NotFoundException && AllowedMethods.isKeyPath(path)
                && !AllowedMethods.keyTakes(method);
        if (unnamed405 || keyMethod404) {
            return ProblemResponses.methodNotAllowed(method, AllowedMethods.of(path));
        }
        return ProblemResponses.of(error);
    }
}
