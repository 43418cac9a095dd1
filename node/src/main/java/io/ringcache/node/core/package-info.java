/**
 * One node as plain Java, startable from a test or a {@code main} without Quarkus: its groups, their
 * stores and loaders, and the sweeper that expires entries.
 */
package io.ringcache.node.core;
