package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * protobuf-java reads and writes strings and direct buffers through {@code sun.misc.Unsafe}, with array base and
 * buffer address offsets its static initializer asks the running JVM for. Quarkus runs that initializer while it
 * builds a native image, on HotSpot, and GraalVM cannot recompute offsets computed this indirectly, so a native node
 * would encode and decode every peer message with HotSpot's offsets. {@code application.properties} makes the class
 * holding them initialize at run time; this test finds that class in the library.
 */
class ProtobufOffsetsTest {

    private static final String MEMORY_ACCESSOR = "com.google.protobuf.UnsafeUtil$MemoryAccessor";

    @Test
    void theClassHoldingProtobufsMemoryAccessorAndItsOffsetsIsInitializedAtRunTimeInANativeImage() throws Exception {
        List<String> holders = NativeBuildArguments.classesWithStaticFieldOf(CodedOutputStream.class, MEMORY_ACCESSOR);
        assertThat(holders).as("classes of protobuf-java with a static %s field", MEMORY_ACCESSOR).isNotEmpty();
        assertThat(NativeBuildArguments.initializedAtRunTime()).containsAll(holders);
    }
}
