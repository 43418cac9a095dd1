/**
 * Where the ring's members come from. A {@link io.ringcache.node.discovery.MembershipSource} feeds the node's
 * one {@link io.ringcache.node.ring.Membership}: either a fixed list ({@code static}), or, in a pod, the ready
 * endpoints of a headless Service read from its EndpointSlices through the Kubernetes API ({@code kubernetes}),
 * listed once and then watched, so a scale event reaches the ring in well under a second. Never DNS.
 * {@link io.ringcache.node.discovery.MembershipSources} picks the source from configuration.
 */
package io.ringcache.node.discovery;
