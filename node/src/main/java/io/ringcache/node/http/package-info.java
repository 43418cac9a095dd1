/**
 * The REST API (Quarkus REST): keys of a group under {@code /v1/groups/{group}/keys/{key}} and the
 * groups' configuration and counters under {@code /v1/groups}. The key GET, the hot path, is served by a plain
 * Vert.x route ({@link io.ringcache.node.http.KeyGetRoute}) with the resource's answers, so a GET forwarded to
 * another node is written when the owner answers, without Quarkus REST's suspend and resume. Every failure becomes
 * an RFC 9457 problem with a stable {@link io.ringcache.node.http.ProblemType}; a method a path does not take, on the
 * health and metrics paths too, is a 405 naming the methods it does. A HEAD carries the Content-Length its GET would
 * and no body, over HTTP/1.1 and HTTP/2 (h2c) ({@link io.ringcache.node.http.HeadContentLength}; on the health and
 * metrics paths {@link io.ringcache.node.http.ExtensionHeadWithoutContent}). Nothing here blocks an event loop.
 */
package io.ringcache.node.http;
