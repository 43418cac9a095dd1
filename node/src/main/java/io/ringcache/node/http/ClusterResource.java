package io.ringcache.node.http;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.core.CacheNode;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.Ping;
import io.ringcache.node.ring.HashRing;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/cluster}: the ring as this node sees it: itself, every member and each member's state,
 * found by pinging it now ({@code self}, {@code up} with the round trip, or {@code unreachable} with why).
 */
@Path("/v1/cluster")
@NonBlocking
public class ClusterResource {

    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

    private final CacheNode node;

    public ClusterResource(CacheNode node) {
        this.node = node;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<ClusterView> view() {
        String self = node.membership().self();
        HashRing ring = node.membership().ring();
        List<CompletableFuture<MemberView>> members = new ArrayList<>();
        for (String member : ring.members()) {
            members.add(member.equals(self)
                    ? CompletableFuture.completedFuture(new MemberView(member, "self", null, null))
                    : ping(self, member));
        }
        return CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)).thenApply(done -> new ClusterView(
                self, node.membership().isLeaving(), ring.members().contains(self), node.membership().changes(),
                members.stream().map(CompletableFuture::join).toList()));
    }

    /**
     * {@code GET /v1/cluster/owners/{key}}: the members that hold {@code key} in this node's ring, owner first,
     * then its backups. The key is percent-decoded and checked like in {@code /v1/groups/{group}/keys/{key}}: 400
     * {@code invalid-key} for one those refuse.
     */
    @GET
    @Path("owners/{key: .*}")
    @Produces(MediaType.APPLICATION_JSON)
    public OwnersView owners(@Encoded @PathParam("key") String rawKey) {
        String key = KeyPaths.decode(rawKey);
        // The same keys as every key endpoint: one they refuse has no owners to show.
        node.settings().limits().checkKey(key);
        HashRing ring = node.membership().ring();
        return new OwnersView(key, ring.isEmpty() ? List.of() : ring.owners(key, 1 + node.settings().backups()));
    }

    /** The methods {@code /v1/cluster} takes, under its path template ({@link AllowedMethods#options}). */
    @OPTIONS
    public Response options() {
        return AllowedMethods.options(AllowedMethods.READ_ONLY);
    }

    /** The methods {@code /v1/cluster/owners/{key}} takes, under its path template, not a series per key. */
    @OPTIONS
    @Path("owners/{key: .*}")
    public Response ownersOptions() {
        return AllowedMethods.options(AllowedMethods.READ_ONLY);
    }

    private CompletableFuture<MemberView> ping(String self, String member) {
        long started = System.nanoTime();
        PeerRequest ping = PeerRequest.newBuilder().setFrom(self).setPing(Ping.getDefaultInstance()).build();
        return node.peerClient().call(member, ping, PING_TIMEOUT).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                return new MemberView(member, "unreachable", null, cause.getMessage());
            }
            if (!response.hasPong()) {
                return new MemberView(member, "unreachable", null, "answered a ping with " + response.getResultCase());
            }
            double rttMillis = (System.nanoTime() - started) / 1_000_000.0;
            return new MemberView(member, "up", Math.round(rttMillis * 1000) / 1000.0, null);
        });
    }

    /**
     * The body: this node's member id, whether it is leaving, whether it is in its own ring, how many times
     * the ring changed since it started, and the members in ring order.
     */
    @RegisterForReflection
    public record ClusterView(String self, boolean leaving, boolean inRing, long ringChanges, List<MemberView> members) {
    }

    /** The members holding a key, its owner first. */
    @RegisterForReflection
    public record OwnersView(String key, List<String> owners) {
    }

    /** One member: its id, {@code self}/{@code up}/{@code unreachable}, the ping's round trip, or why it failed. */
    @RegisterForReflection
    public record MemberView(String id, String state, Double rttMillis, String error) {
    }
}
