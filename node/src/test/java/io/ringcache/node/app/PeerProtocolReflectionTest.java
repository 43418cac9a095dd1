package io.ringcache.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.ringcache.node.peer.proto.Peer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerProtocolReflectionTest {

    @Test
    void everyTopLevelMessageOfThePeerProtocolIsRegisteredForNativeReflection() {
        List<String> registered = Arrays.stream(PeerProtocolReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).toList();
        List<String> messages = Peer.getDescriptor().getMessageTypes().stream()
                .map(Descriptor::getName).map(name -> Peer.class.getPackageName() + "." + name).toList();

        assertThat(registered).containsExactlyInAnyOrderElementsOf(messages);
        assertThat(PeerProtocolReflection.class.getAnnotation(RegisterForReflection.class).ignoreNested())
                .as("builders and oneof enums are nested classes").isFalse();
    }
}
