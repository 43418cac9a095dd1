package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.ring.RingHash;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

/**
 * The hashing library chooses how to read a String's chars once, in a static initializer, from the VM's name.
 * Quarkus runs static initializers while it builds a native image, on HotSpot, so without help a native node would
 * keep the HotSpot reader, whose Unsafe offsets belong to HotSpot's object layout. {@code application.properties}
 * defers the choice to run time; these tests find the classes that hold the choice in the library itself, and check
 * what the deferred choice does on a VM the library does not know, such as a native executable.
 */
class NativeStringHashTest {

    private static final String LIBRARY_PACKAGE = LongHashFunction.class.getPackageName();
    /** What a native executable reports as {@code java.vm.name}. */
    private static final String NATIVE_VM_NAME = "Substrate VM";
    private static final List<String> KEYS = List.of("a", "user:42", "Ümlaut café", "ключ", "键值", "emoji 😀 key",
            "x".repeat(1_000));

    @Test
    void everyClassHoldingTheLibrarysStringReaderIsInitializedAtRunTimeInANativeImage() throws Exception {
        List<String> holders = readerHolders();
        assertThat(holders).as("classes of %s with a static StringHash field", LIBRARY_PACKAGE).isNotEmpty();
        assertThat(NativeBuildArguments.initializedAtRunTime()).containsAll(holders);
    }

    @Test
    void onAVmTheLibraryDoesNotKnowKeysHashAsTheRingHashesThemOnTheJvm() throws Exception {
        Path library = NativeBuildArguments.jarOf(LongHashFunction.class);
        String vmName = System.getProperty("java.vm.name");
        // A loader of its own runs the library's static initializers again, under the native executable's VM name.
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {library.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            System.setProperty("java.vm.name", NATIVE_VM_NAME);
            try {
                for (String holder : readerHolders()) {
                    assertThat(stringReaderOf(Class.forName(holder, true, isolated)).getClass().getSimpleName())
                            .as("the reader %s chooses on %s", holder, NATIVE_VM_NAME).isEqualTo("UnknownJvmStringHash");
                }
            } finally {
                System.setProperty("java.vm.name", vmName);
            }

            Class<?> functions = Class.forName(LongHashFunction.class.getName(), true, isolated);
            Object xx3 = functions.getMethod("xx3").invoke(null);
            Method hashChars = functions.getMethod("hashChars", String.class);
            for (String key : KEYS) {
                assertThat((long) hashChars.invoke(xx3, key)).as(key).isEqualTo(RingHash.XXH3.hash(key));
            }
        }
    }

    private static List<String> readerHolders() throws Exception {
        return NativeBuildArguments.classesWithStaticFieldOf(LongHashFunction.class, LIBRARY_PACKAGE + ".StringHash");
    }

    private static Object stringReaderOf(Class<?> util) throws ReflectiveOperationException {
        for (Field field : util.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType().getSimpleName().equals("StringHash")) {
                field.setAccessible(true);
                return field.get(null);
            }
        }
        throw new AssertionError(util + " has no static StringHash field");
    }
}
