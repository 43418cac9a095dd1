package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.peer.proto.Peer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PeerProtocolReflectionTest {

    @Test
    void everyTopLevelMessageAndEnumOfThePeerProtocolIsRegisteredForNativeReflection() {
        List<String> registered = Arrays.stream(PeerProtocolReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).toList();
        List<String> messages = Stream.concat(
                        Peer.getDescriptor().getMessageTypes().stream().map(Descriptor::getName),
                        Peer.getDescriptor().getEnumTypes().stream().map(EnumDescriptor::getName))
                .map(name -> Peer.class.getPackageName() + "." + name).toList();

        assertThat(registered).containsExactlyInAnyOrderElementsOf(messages);
        assertThat(PeerProtocolReflection.class.getAnnotation(RegisterForReflection.class).ignoreNested())
                .as("builders and oneof enums are nested classes").isFalse();
    }
}
