/**
 * The REST API (Quarkus REST): keys of a group under {@code /v1/groups/{group}/keys/{key}} and the
 * groups' configuration and counters under {@code /v1/groups}. Every failure becomes an RFC 9457
 * problem with a stable {@link io.ringcache.node.http.ProblemType}. Nothing here blocks an event loop.
 */
package io.ringcache.node.http;
