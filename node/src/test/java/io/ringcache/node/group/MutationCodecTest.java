package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.peer.proto.Mutate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every mutation, with every enum value, crosses the peer protocol unchanged. */
class MutationCodecTest {

    private static Mutation roundTrip(Mutation m) throws Exception {
        Mutate wire = Mutate.parseFrom(MutationCodec.encode("g", "k", m).toByteArray());
        assertThat(wire.getGroup()).isEqualTo("g");
        assertThat(wire.getKey()).isEqualTo("k");
        return MutationCodec.decode(wire);
    }

    @Test
    void everyMutationAndEveryOptionRoundTrips() throws Exception {
        List<Mutation> all = new ArrayList<>();
        for (Mutation.SetCondition condition : Mutation.SetCondition.values()) {
            for (Mutation.ExpiryMode expiry : Mutation.ExpiryMode.values()) {
                all.add(new Mutation.Set(new byte[] {1, 2}, condition, expiry, 1234, true));
            }
        }
        for (Mutation.ExpireCondition condition : Mutation.ExpireCondition.values()) {
            all.add(new Mutation.Expire(Mutation.ExpiryMode.AT_MILLIS, 99, condition));
        }
        all.add(new Mutation.IncrementBy(Long.MIN_VALUE));
        all.add(new Mutation.Append(new byte[] {0, -1}));
        all.add(new Mutation.Persist());
        all.add(new Mutation.GetAndDelete());
        all.add(new Mutation.GetAndExpire(Mutation.ExpiryMode.NONE, 0));
        for (Mutation m : all) {
            Mutation back = roundTrip(m);
            assertThat(back).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void resultsKeepTheDifferenceBetweenNoValueAndAnEmptyValue() {
        assertThat(MutationCodec.decode(MutationCodec.encode(MutationResult.value(null))).value()).isNull();
        assertThat(MutationCodec.decode(MutationCodec.encode(MutationResult.value(new byte[0]))).value()).isEmpty();
        assertThat(MutationCodec.decode(MutationCodec.encode(MutationResult.number(-7))).number()).isEqualTo(-7);
    }

    @Test
    void aRequestWithoutAMutationOrWithAnUnknownOptionIsRefused() {
        assertThatThrownBy(() -> MutationCodec.decode(Mutate.newBuilder().setKey("k").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no mutation");
        Mutate unknown = Mutate.newBuilder().setKey("k").setExpire(io.ringcache.node.peer.proto.ExpireIf.newBuilder()
                .setExpiryValue(4).setConditionValue(42)).build();
        assertThatThrownBy(() -> MutationCodec.decode(unknown))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ExpireCondition 42");
    }
}
