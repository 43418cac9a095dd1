package io.ringcache.node.app;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** What the node's {@code application.properties} passes to {@code native-image}, and the library classes it is about. */
final class NativeBuildArguments {

    private static final String RUN_TIME = "--initialize-at-run-time=";

    private NativeBuildArguments() {
    }

    /** The classes named by {@code --initialize-at-run-time} in {@code quarkus.native.additional-build-args}. */
    static List<String> initializedAtRunTime() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = NativeBuildArguments.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        List<String> classes = new ArrayList<>();
        // Quarkus splits the arguments on commas; a comma inside one argument is escaped with a backslash.
        for (String argument : properties.getProperty("quarkus.native.additional-build-args", "").split("(?<!\\\\),")) {
            String trimmed = argument.trim();
            if (trimmed.startsWith(RUN_TIME)) {
                classes.addAll(Arrays.asList(trimmed.substring(RUN_TIME.length()).split("\\\\,")));
            }
        }
        return classes;
    }

    /** The classes of the jar {@code member} comes from that declare a static field of type {@code fieldType}. */
    static List<String> classesWithStaticFieldOf(Class<?> member, String fieldType)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Class<?> type = Class.forName(fieldType, false, member.getClassLoader());
        return classesWithStaticField(member, field -> field.getType() == type);
    }

    /** The classes of the jar {@code member} comes from that declare a static field {@code wanted} accepts. */
    static List<String> classesWithStaticField(Class<?> member, Predicate<Field> wanted)
            throws IOException, URISyntaxException, ClassNotFoundException {
        ClassLoader loader = member.getClassLoader();
        List<String> holders = new ArrayList<>();
        try (JarFile jar = new JarFile(jarOf(member).toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String path = entry.getName();
                if (!path.endsWith(".class") || path.endsWith("module-info.class")) {
                    continue;
                }
                String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                // Not initialized: the scan must not run the static initializers it is asking about.
                for (Field field : Class.forName(name, false, loader).getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && wanted.test(field)) {
                        holders.add(name);
                        break;
                    }
                }
            }
        }
        return holders;
    }

    static Path jarOf(Class<?> member) throws URISyntaxException {
        return Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
