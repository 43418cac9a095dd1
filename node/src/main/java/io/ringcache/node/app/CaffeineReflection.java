package io.ringcache.node.app;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the Caffeine classes the node's caches are made of loadable in a native executable. Caffeine picks a
 * generated cache class and node class by name from the builder's options ({@code SSMW}: strong keys, strong
 * values, maximum, weighted) and reaches them through {@code MethodHandles.Lookup}: {@code findClass}, the cache
 * class's static {@code FACTORY} field, the node class's constructor. A native image holds only what is
 * registered, so without this every cache would fail to build at start-up, and only in native mode. The list is
 * exact: Quarkus's own Caffeine extension registers a set of common classes that lacks two of these ({@code SSMW},
 * {@code SSLMSW}), and registering every generated class costs megabytes of executable. {@code
 * CaffeineReflectionTest} takes the caches from the objects that build them (stores, hot tier, copy holders) and
 * fails when one of their classes is missing here or one listed is no longer used.
 */
@RegisterForReflection(fields = true, methods = true, classNames = {
        // CaffeineStore by bytes (every group) and the hot tier; CaffeineStore by entry count (trace replays).
        "com.github.benmanes.caffeine.cache.SSMW", "com.github.benmanes.caffeine.cache.PSMW",
        "com.github.benmanes.caffeine.cache.SSMS", "com.github.benmanes.caffeine.cache.PSMS",
        // HotCopyHolders (expiring, with a removal listener).
        "com.github.benmanes.caffeine.cache.SSLMSW", "com.github.benmanes.caffeine.cache.PSWMS"})
public final class CaffeineReflection {

    private CaffeineReflection() {
    }
}
