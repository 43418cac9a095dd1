/**
 * The Quarkus shell around the plain-Java node: builds the {@link io.ringcache.node.core.CacheNode} from
 * configuration at start-up, and exposes its health and per-group metrics.
 */
package io.ringcache.node.app;
