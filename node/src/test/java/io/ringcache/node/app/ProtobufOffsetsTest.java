package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * protobuf-java reads and writes strings and direct buffers through {@code sun.misc.Unsafe}, with array base and
 * buffer address offsets its static initializer asks the running JVM for, and other classes remember at their own
 * initialization whether those Unsafe paths are there. Quarkus runs these initializers while it builds a native image,
 * on HotSpot, and GraalVM cannot recompute offsets computed this indirectly, so a native node would encode and decode
 * every peer message with HotSpot's offsets. {@code application.properties} makes every class holding that state
 * initialize at run time, where the offsets and the decisions taken from them agree with the executable; this test
 * finds those classes in the library: a static memory accessor, UTF-8 processor or {@code HAS_UNSAFE_*} flag.
 */
class ProtobufOffsetsTest {

    private static final List<String> UNSAFE_STATE_TYPES = List.of("com.google.protobuf.UnsafeUtil$MemoryAccessor",
            "com.google.protobuf.Utf8$Processor");

    @Test
    void everyProtobufClassHoldingUnsafeStateIsInitializedAtRunTimeInANativeImage() throws Exception {
        List<String> holders = NativeBuildArguments.classesWithStaticField(CodedOutputStream.class,
                ProtobufOffsetsTest::holdsUnsafeState);
        assertThat(holders).as("protobuf-java classes holding Unsafe state").contains("com.google.protobuf.UnsafeUtil");
        assertThat(NativeBuildArguments.initializedAtRunTime()).containsAll(holders);
    }

    private static boolean holdsUnsafeState(Field field) {
        return UNSAFE_STATE_TYPES.contains(field.getType().getName())
                || field.getType() == boolean.class && field.getName().startsWith("HAS_UNSAFE_");
    }
}
