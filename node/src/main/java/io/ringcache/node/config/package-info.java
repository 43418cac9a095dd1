/**
 * Node settings from flat {@code ringcache.*} keys, checked at start-up: every wrong value stops the node
 * with a message naming its key. {@link io.ringcache.node.config.SettingKey} lists every key and is kept
 * equal to {@code docs/configuration.md} by a test. Plain Java: no Quarkus types.
 */
package io.ringcache.node.config;
