package io.ringcache.node.app;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the store's one field reached through a {@code VarHandle} findable in a native executable: the
 * {@code tinylfu} store's TTL flag, which a put reads and sets with acquire and release semantics while reads read
 * it plain ({@code CaffeineStore}). {@code findVarHandle} looks the field up by name, and a native image finds only
 * the fields it was told of; without this every {@code tinylfu} store would fail to load, and only in native mode.
 */
@RegisterForReflection(methods = false, fields = true, classNames = "io.ringcache.node.store.CaffeineStore")
public final class StoreReflection {

    private StoreReflection() {
    }
}
