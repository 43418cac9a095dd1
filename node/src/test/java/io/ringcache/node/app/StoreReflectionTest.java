package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The store classes that look their own fields up through {@code VarHandle}s are exactly those registered in
 * {@link StoreReflection}, so a native node finds those fields and registers nothing it no longer needs.
 */
class StoreReflectionTest {

    @Test
    void everyStoreClassWithAFieldVarHandleIsRegisteredAndNothingElse() throws ClassNotFoundException {
        String[] registered = StoreReflection.class.getAnnotation(RegisterForReflection.class).classNames();
        List<String> storeClassesWithHandles = new ArrayList<>();
        for (String name : storeClassNames()) {
            if (!fieldVarHandles(Class.forName(name)).isEmpty()) {
                storeClassesWithHandles.add(name);
            }
        }
        assertThat(registered).containsExactlyInAnyOrderElementsOf(storeClassesWithHandles);
    }

    /** Every class compiled from the store package, read from the directory its classes were loaded from. */
    private static List<String> storeClassNames() {
        try {
            Path dir = Path.of(StoreReflectionTest.class.getClassLoader()
                    .getResource("io/ringcache/node/store/Store.class").toURI()).getParent();
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".class"))
                        .map(f -> "io.ringcache.node.store." + f.substring(0, f.length() - ".class".length()))
                        .toList();
                assertThat(names).contains("io.ringcache.node.store.CaffeineStore");
                return names;
            }
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("cannot list the store package's classes", e);
        }
    }

    /** Static {@code VarHandle}s of {@code type} other than array-element handles, which need no field lookup. */
    private static List<Field> fieldVarHandles(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == VarHandle.class)
                .filter(f -> !isArrayElementHandle(f))
                .toList();
    }

    private static boolean isArrayElementHandle(Field field) {
        try {
            field.setAccessible(true);
            VarHandle handle = (VarHandle) field.get(null);
            return handle.coordinateTypes().size() == 2 && handle.coordinateTypes().get(0).isArray();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
