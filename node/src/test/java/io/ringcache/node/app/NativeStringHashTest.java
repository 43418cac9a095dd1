package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.ring.RingHash;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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
        List<String> holders = classesHoldingTheStringReader();
        assertThat(holders).as("classes of %s with a static StringHash field", LIBRARY_PACKAGE).isNotEmpty();
        assertThat(initializedAtRunTime()).containsAll(holders);
    }

    @Test
    void onAVmTheLibraryDoesNotKnowKeysHashAsTheRingHashesThemOnTheJvm() throws Exception {
        Path library = Path.of(LongHashFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String vmName = System.getProperty("java.vm.name");
        // A loader of its own runs the library's static initializers again, under the native executable's VM name.
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {library.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            System.setProperty("java.vm.name", NATIVE_VM_NAME);
            Object reader;
            try {
                reader = stringReaderOf(Class.forName(LIBRARY_PACKAGE + ".Util", true, isolated));
            } finally {
                System.setProperty("java.vm.name", vmName);
            }
            assertThat(reader.getClass().getSimpleName()).as("the reader chosen on %s", NATIVE_VM_NAME)
                    .isEqualTo("UnknownJvmStringHash");

            Class<?> functions = Class.forName(LongHashFunction.class.getName(), true, isolated);
            Object xx3 = functions.getMethod("xx3").invoke(null);
            Method hashChars = functions.getMethod("hashChars", String.class);
            for (String key : KEYS) {
                assertThat((long) hashChars.invoke(xx3, key)).as(key).isEqualTo(RingHash.XXH3.hash(key));
            }
        }
    }

    /** The library's classes with a static field typed {@code StringHash}: where its String reader is chosen. */
    private static List<String> classesHoldingTheStringReader() throws Exception {
        Class<?> stringHash = Class.forName(LIBRARY_PACKAGE + ".StringHash", false, LongHashFunction.class.getClassLoader());
        Path library = Path.of(LongHashFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> holders = new ArrayList<>();
        try (JarFile jar = new JarFile(library.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                if (!entry.getName().endsWith(".class") || entry.getName().endsWith("module-info.class")) {
                    continue;
                }
                String name = entry.getName().replace('/', '.').substring(0, entry.getName().length() - ".class".length());
                Class<?> type = Class.forName(name, false, LongHashFunction.class.getClassLoader());
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == stringHash) {
                        holders.add(name);
                    }
                }
            }
        }
        return holders;
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

    /** The classes named by {@code --initialize-at-run-time} in the node's native build arguments. */
    private static List<String> initializedAtRunTime() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = NativeStringHashTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        List<String> classes = new ArrayList<>();
        String prefix = "--initialize-at-run-time=";
        // Quarkus splits the build arguments on commas; a comma inside one argument is escaped with a backslash.
        for (String argument : properties.getProperty("quarkus.native.additional-build-args", "").split("(?<!\\\\),")) {
            if (argument.trim().startsWith(prefix)) {
                classes.addAll(Arrays.asList(argument.trim().substring(prefix.length()).split("\\\\,")));
            }
        }
        return classes;
    }
}
