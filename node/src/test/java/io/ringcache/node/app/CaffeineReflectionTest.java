package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.hot.HotCopyHolders;
import io.ringcache.node.hot.HotTier;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every Caffeine cache the node builds has its generated cache and node classes registered in
 * {@link CaffeineReflection}: the caches are the real ones, taken from the objects that build them, so a new
 * cache, or a builder option that changes which classes Caffeine picks, fails here rather than in a native node.
 */
class CaffeineReflectionTest {

    @Test
    void everyCacheTheNodeBuildsHasItsGeneratedClassesRegistered() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Object owner : ownersOfCaches()) {
            List<Cache<?, ?>> caches = cachesIn(owner);
            assertThat(caches).as("Caffeine caches of %s", owner.getClass().getSimpleName()).isNotEmpty();
            for (Cache<?, ?> cache : caches) {
                used.add(cacheClassOf(cache).getName());
                used.add(nodeClassOf(cache).getName());
            }
        }

        List<String> registered = Arrays.asList(
                CaffeineReflection.class.getAnnotation(RegisterForReflection.class).classNames());
        assertThat(registered).containsAll(used);
        assertThat(used).as("no class is registered that no cache uses").containsAll(registered);
    }

    private static List<Object> ownersOfCaches() {
        TimeSource time = TimeSource.SYSTEM;
        return List.of(
                Stores.create(EvictionPolicyName.TINYLFU, 1 << 20, EntryCharge.BYTES, time),
                Stores.create(EvictionPolicyName.TINYLFU, 1_000, EntryCharge.UNIT, time),
                new HotTier(1 << 20, Duration.ofSeconds(5), time),
                new HotCopyHolders(Duration.ofSeconds(5), 1_000, (key, holders) -> { }));
    }

    private static List<Cache<?, ?>> cachesIn(Object owner) throws IllegalAccessException {
        List<Cache<?, ?>> caches = new ArrayList<>();
        for (Field field : owner.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || !Cache.class.isAssignableFrom(field.getType())) {
                continue;
            }
            field.setAccessible(true);
            caches.add((Cache<?, ?>) field.get(owner));
        }
        return caches;
    }

    /** The generated subclass of {@code BoundedLocalCache}: a bounded cache's map view is the cache itself. */
    private static Class<?> cacheClassOf(Cache<?, ?> cache) {
        return cache.asMap().getClass();
    }

    /** The generated node class, which is also the cache's node factory. */
    private static Class<?> nodeClassOf(Cache<?, ?> cache) throws ReflectiveOperationException {
        Field nodeFactory = Class.forName("com.github.benmanes.caffeine.cache.BoundedLocalCache")
                .getDeclaredField("nodeFactory");
        nodeFactory.setAccessible(true);
        return nodeFactory.get(cache.asMap()).getClass();
    }
}
