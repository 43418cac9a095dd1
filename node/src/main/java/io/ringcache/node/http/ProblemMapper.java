package io.ringcache.node.http;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every exception that leaves a resource method becomes a problem response. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response toProblem(Throwable error) {
        return ProblemResponses.of(error);
    }
}
