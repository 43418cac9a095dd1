package io.ringcache.node.http;

import io.ringcache.node.config.ConfigException;
import io.ringcache.node.config.Durations;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.group.Group;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Keys of a group over HTTP: {@code GET}, {@code PUT}, {@code DELETE /v1/groups/{group}/keys/{key}}.
 * The key is everything after {@code keys/}, percent-decoded by {@link KeyPaths}. Nothing here blocks,
 * so requests are served on the event loop. Most GETs are answered before they get here, by {@link KeyGetRoute}
 * with the same answers; {@link #get} serves the paths that route leaves to Quarkus REST, and {@link #head} HEAD.
 */
@Path("/v1/groups/{group}/keys/{key: .*}")
@NonBlocking
public class KeyResource {

    private final CacheNode node;

    public KeyResource(CacheNode node) {
        this.node = node;
    }

    @GET
    public CompletionStage<Response> get(@PathParam("group") String group, @Encoded @PathParam("key") String rawKey) {
        CompletableFuture<Optional<byte[]>> value;
        try {
            value = groupNamed(group).get(KeyPaths.decode(rawKey));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ProblemResponses.of(e));
        }
        return value.handle((found, error) -> {
            if (error != null) {
                return ProblemResponses.of(error);
            }
            return found.map(bytes -> Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM).build())
                    .orElseGet(() -> ProblemResponses.of(ProblemType.KEY_NOT_FOUND,
                            "group '" + group + "' has no such key"));
        });
    }

    /**
     * The status and headers a GET would answer, Content-Length the value's length included, without the value.
     * Left to Quarkus REST, a HEAD ran {@link #get} and sent no Content-Length, since it writes no body.
     */
    @HEAD
    public CompletionStage<Response> head(@PathParam("group") String group, @Encoded @PathParam("key") String rawKey) {
        return get(group, rawKey).thenApply(response -> {
            if (!(response.getEntity() instanceof byte[] value)) {
                return response;
            }
            return Response.ok().type(MediaType.APPLICATION_OCTET_STREAM)
                    .header(HttpHeaders.CONTENT_LENGTH, value.length).build();
        });
    }

    /**
     * POST and PATCH name no operation on a key: 405 with the methods that do, saying that a value is written whole
     * with PUT. ({@link ProblemMapper} answers the other methods a key does not take with the same Allow.)
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post() {
        throw notAllowed();
    }

    /** See {@link #post}. */
    @PATCH
    @Consumes(MediaType.WILDCARD)
    public Response patch() {
        throw notAllowed();
    }

    private static NotAllowedException notAllowed() {
        Response allowing = Response.status(Response.Status.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, AllowedMethods.KEY).build();
        return new NotAllowedException("a key takes " + AllowedMethods.KEY + "; write a value whole with PUT", allowing);
    }

    /**
     * The methods a key takes, in an Allow header. Without this method Quarkus REST answered OPTIONS itself, naming
     * POST and PATCH too, which are declared above only to be refused.
     */
    @OPTIONS
    public Response options() {
        return AllowedMethods.options(AllowedMethods.KEY);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> put(@PathParam("group") String group, @Encoded @PathParam("key") String rawKey,
                                         @Context HttpServerRequest request, byte[] value) {
        // The group first, as a GET and a DELETE check it: a PUT to a group that does not exist is 404 whatever
        // else is wrong with it.
        Group target;
        try {
            target = groupNamed(group);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ProblemResponses.of(e));
        }
        Optional<WebApplicationException> refused = refusedWriteRequest(request);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(ProblemResponses.of(refused.get()));
        }
        Optional<Duration> timeToLive;
        try {
            timeToLive = timeToLiveOf(request);
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(ProblemResponses.of(ProblemType.INVALID_TTL, e.getMessage()));
        }
        return acknowledged(() -> target.put(KeyPaths.decode(rawKey), value == null ? new byte[0] : value, timeToLive));
    }

    /**
     * Why a PUT cannot be taken as it is, if so: an encoded body (the node would store the encoded bytes and serve
     * them without the encoding), or a query parameter other than {@code ttl} (a misspelt {@code ?tll=60} would
     * otherwise store a value that never expires).
     */
    private static Optional<WebApplicationException> refusedWriteRequest(HttpServerRequest request) {
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            return Optional.of(new NotSupportedException("Content-Encoding '" + encoding + "' is not supported; send"
                    + " the value's bytes as they are, without an encoding"));
        }
        for (String name : request.params().names()) {
            if (!name.equals("ttl")) {
                return Optional.of(new BadRequestException("unknown query parameter '" + name
                        + "'; a PUT takes only ttl"));
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code ttl} query parameter, read from Vert.x, not {@code @QueryParam}, which turns an empty {@code ?ttl=}
     * into no TTL instead of a bad one.
     *
     * @throws ConfigException for a TTL that is not one, or a {@code ttl} given twice (which one was meant is not
     *     ours to guess). A query string that does not decode never gets here: the HTTP server refuses it (400).
     */
    private static Optional<Duration> timeToLiveOf(HttpServerRequest request) {
        List<String> given = request.params().getAll("ttl");
        if (given.size() > 1) {
            throw new ConfigException("ttl", "is given " + given.size() + " times; give it once");
        }
        return given.stream().findFirst().map(t -> Durations.parsePositive("ttl", t));
    }

    @DELETE
    public CompletionStage<Response> delete(@PathParam("group") String group, @Encoded @PathParam("key") String rawKey) {
        return acknowledged(() -> groupNamed(group).delete(KeyPaths.decode(rawKey)));
    }

    /** 204 once {@code write} is acknowledged, else the problem it failed with (at once or later). */
    private static CompletionStage<Response> acknowledged(Supplier<CompletableFuture<?>> write) {
        CompletableFuture<?> done;
        try {
            done = write.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ProblemResponses.of(e));
        }
        return done.handle((ignored, error) -> error != null ? ProblemResponses.of(error) : Response.noContent().build());
    }

    private Group groupNamed(String name) {
        return node.groups().get(name);
    }
}
