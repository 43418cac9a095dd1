package io.ringcache.bench;

import io.ringcache.node.store.Store;
import io.ringcache.node.store.StoredValue;

/** A ringcache {@link Store} under test, used the way a group uses it: values that never expire. */
record RingcacheStore(Store store) implements CacheUnderTest {

    @Override
    public int get(String key) {
        return CacheUnderTest.lengthOf(store.get(key));
    }

    @Override
    public void put(String key, byte[] value) {
        store.put(key, value, StoredValue.NEVER, StoredValue.UNVERSIONED);
    }
}
