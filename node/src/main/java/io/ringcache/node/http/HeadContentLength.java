package io.ringcache.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A HEAD that Quarkus REST answers with a JSON entity (a resource's GET, or a problem) carries the Content-Length the
 * GET would send, as RFC 9110 asks. Quarkus REST writes no entity for a HEAD, so it sent none: the entity is
 * serialized here only to count its bytes, with the ObjectMapper Quarkus REST writes JSON with, so the count is the
 * GET's. A response that names its own length (a key's value, {@link KeyResource#head}) is left as it is.
 */
public class HeadContentLength {

    private final ObjectMapper json;

    public HeadContentLength(ObjectMapper json) {
        this.json = json;
    }

    @ServerResponseFilter
    public void contentLengthOfHead(ContainerRequestContext request, ContainerResponseContext response)
            throws JsonProcessingException {
        if (HttpMethod.HEAD.equals(request.getMethod()) && response.hasEntity() && isJson(response.getMediaType())
                && !response.getHeaders().containsKey(HttpHeaders.CONTENT_LENGTH)) {
            int length = json.writeValueAsBytes(response.getEntity()).length;
            response.getHeaders().putSingle(HttpHeaders.CONTENT_LENGTH, length);
        }
    }

    /** {@code application/json} or a {@code +json} type such as {@code application/problem+json}. */
    private static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }
}
