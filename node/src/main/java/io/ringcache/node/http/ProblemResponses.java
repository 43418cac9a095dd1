package io.ringcache.node.http;

import io.ringcache.node.group.InvalidKeyException;
import io.ringcache.node.group.LoadFailedException;
import io.ringcache.node.group.LoadTimeoutException;
import io.ringcache.node.group.UnknownGroupException;
import io.ringcache.node.group.ValueTooLargeException;
import io.ringcache.node.group.WriteOutcomeUnknownException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.peer.PeerUnsupportedOperationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/** Turns failures into {@code application/problem+json} responses, in one place for every endpoint. */
final class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    static Response of(ProblemType type, String detail) {
        return response(Problem.of(type, detail));
    }

    /**
     * The response for {@code error}, thrown at once or carried by a failed future. The {@code Allow} header a
     * {@link jakarta.ws.rs.NotAllowedException} carries is kept: a 405 must name the methods that are allowed
     * (RFC 9110).
     */
    static Response of(Throwable error) {
        Problem problem = problemOf(error);
        Response.ResponseBuilder response = builder(problem);
        if (unwrap(error) instanceof WebApplicationException web) {
            String allow = web.getResponse().getHeaderString(HttpHeaders.ALLOW);
            if (allow != null) {
                response.header(HttpHeaders.ALLOW, allow);
            }
        }
        return response.build();
    }

    /** 405 for {@code method}, whose Allow header names {@code allow}, the methods the path takes. */
    static Response methodNotAllowed(String method, String allow) {
        return builder(methodNotAllowedProblem(method, allow)).header(HttpHeaders.ALLOW, allow).build();
    }

    /** The body of a 405 for {@code method} on a path that takes {@code allow}. */
    static Problem methodNotAllowedProblem(String method, String allow) {
        return new Problem("about:blank", "Method Not Allowed", 405, "this path takes " + allow + ", not " + method);
    }

    /**
     * The problem {@code error} stands for, thrown at once or carried by a failed future; its {@code status} is the
     * response's. An error of no known kind is logged and becomes {@code internal-error}.
     */
    static Problem problemOf(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof UnknownGroupException) {
            return Problem.of(ProblemType.GROUP_NOT_FOUND, e.getMessage());
        }
        if (e instanceof InvalidKeyException) {
            return Problem.of(ProblemType.INVALID_KEY, e.getMessage());
        }
        if (e instanceof ValueTooLargeException) {
            return Problem.of(ProblemType.VALUE_TOO_LARGE, e.getMessage());
        }
        if (e instanceof LoadFailedException) {
            return Problem.of(ProblemType.LOAD_FAILED, e.getMessage());
        }
        if (e instanceof LoadTimeoutException) {
            return Problem.of(ProblemType.LOAD_TIMEOUT, e.getMessage());
        }
        if (e instanceof PeerUnavailableException) {
            return Problem.of(ProblemType.OWNER_UNAVAILABLE, e.getMessage());
        }
        if (e instanceof WriteOutcomeUnknownException) {
            return Problem.of(ProblemType.WRITE_OUTCOME_UNKNOWN, e.getMessage());
        }
        if (e instanceof PeerUnsupportedOperationException) {
            // A mixed-version cluster (a rolling upgrade) rather than a fault of this node: no stack trace.
            LOG.warnf("a peer could not serve a request: %s", e.getMessage());
            return Problem.of(ProblemType.PEER_UNSUPPORTED_OPERATION, e.getMessage());
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            Response.StatusType statusType = Response.Status.fromStatusCode(status);
            String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
            return new Problem("about:blank", title, status, e.getMessage());
        }
        LOG.error("unexpected failure while serving a request", e);
        return Problem.of(ProblemType.INTERNAL_ERROR, "the node failed unexpectedly; its log has the details");
    }

    private static Response response(Problem problem) {
        return builder(problem).build();
    }

    private static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
