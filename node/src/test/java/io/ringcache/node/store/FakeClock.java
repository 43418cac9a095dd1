package io.ringcache.node.store;

/** A {@link TimeSource} that moves only when a test says so. */
final class FakeClock implements TimeSource {

    private volatile long nowMillis = 1_000_000L;

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    void advanceMillis(long millis) {
        nowMillis += millis;
    }
}
