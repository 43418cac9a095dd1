package io.ringcache.node.store;

import java.util.function.BiConsumer;

/**
 * A {@link Store} that passes every call to another store, so that a test wanting a store that misbehaves in one
 * method overrides just that method instead of forwarding all the others by hand. The three-argument
 * {@code put} is left to the interface's default, so it goes through an overridden four-argument {@code put}.
 */
public abstract class ForwardingStore implements Store {

    private final Store delegate;

    protected ForwardingStore(Store delegate) {
        this.delegate = delegate;
    }

    @Override
    public StoredValue get(String key) {
        return delegate.get(key);
    }

    @Override
    public StoredValue peek(String key) {
        return delegate.peek(key);
    }

    @Override
    public StoredValue peekIncludingExpired(String key) {
        return delegate.peekIncludingExpired(key);
    }

    @Override
    public boolean containsKey(String key) {
        return delegate.containsKey(key);
    }

    @Override
    public void put(String key, byte[] value, long expiresAtMillis, long version) {
        delegate.put(key, value, expiresAtMillis, version);
    }

    @Override
    public void forEachEntry(BiConsumer<String, StoredValue> action) {
        delegate.forEachEntry(action);
    }

    @Override
    public boolean remove(String key) {
        return delegate.remove(key);
    }

    @Override
    public long clear() {
        return delegate.clear();
    }

    @Override
    public void expireNow() {
        delegate.expireNow();
    }

    @Override
    public void onExpiry(ExpiryListener listener) {
        delegate.onExpiry(listener);
    }

    @Override
    public void onEviction(EvictionListener listener) {
        delegate.onEviction(listener);
    }

    @Override
    public void checkFits(String key, byte[] value) {
        delegate.checkFits(key, value);
    }

    @Override
    public long maxCharge() {
        return delegate.maxCharge();
    }

    @Override
    public EvictionPolicyName policy() {
        return delegate.policy();
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }
}
