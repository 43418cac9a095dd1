package io.ringcache.node.store;

/** Wall-clock milliseconds, replaceable in tests. Expiry is absolute so it survives hand-off between nodes. */
@FunctionalInterface
public interface TimeSource {

    TimeSource SYSTEM = System::currentTimeMillis;

    long nowMillis();
}
