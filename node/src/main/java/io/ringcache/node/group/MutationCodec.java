package io.ringcache.node.group;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.proto.Append;
import io.ringcache.node.peer.proto.ExpireCondition;
import io.ringcache.node.peer.proto.ExpireIf;
import io.ringcache.node.peer.proto.ExpiryMode;
import io.ringcache.node.peer.proto.GetAndDelete;
import io.ringcache.node.peer.proto.GetAndExpire;
import io.ringcache.node.peer.proto.IncrementBy;
import io.ringcache.node.peer.proto.Mutate;
import io.ringcache.node.peer.proto.Mutated;
import io.ringcache.node.peer.proto.Persist;
import io.ringcache.node.peer.proto.SetCondition;
import io.ringcache.node.peer.proto.SetIf;

/** {@link Mutation}s and their {@link MutationResult}s in the peer protocol, both ways. */
final class MutationCodec {

    private MutationCodec() {
    }

    static Mutate encode(String group, String key, Mutation mutation) {
        Mutate.Builder m = Mutate.newBuilder().setGroup(group).setKey(key);
        if (mutation instanceof Mutation.Set set) {
            m.setSet(SetIf.newBuilder().setValue(ByteString.copyFrom(set.value()))
                    .setCondition(SetCondition.forNumber(set.condition().ordinal()))
                    .setExpiry(ExpiryMode.forNumber(set.expiry().ordinal())).setExpiryMillis(set.expiryMillis())
                    .setReturnOld(set.returnOld()));
        } else if (mutation instanceof Mutation.IncrementBy increment) {
            m.setIncrementBy(IncrementBy.newBuilder().setDelta(increment.delta()));
        } else if (mutation instanceof Mutation.Append append) {
            m.setAppend(Append.newBuilder().setSuffix(ByteString.copyFrom(append.suffix())));
        } else if (mutation instanceof Mutation.Expire expire) {
            m.setExpire(ExpireIf.newBuilder().setExpiry(ExpiryMode.forNumber(expire.expiry().ordinal()))
                    .setExpiryMillis(expire.expiryMillis())
                    .setCondition(ExpireCondition.forNumber(expire.condition().ordinal())));
        } else if (mutation instanceof Mutation.Persist) {
            m.setPersist(Persist.getDefaultInstance());
        } else if (mutation instanceof Mutation.GetAndDelete) {
            m.setGetAndDelete(GetAndDelete.getDefaultInstance());
        } else if (mutation instanceof Mutation.GetAndExpire getAndExpire) {
            m.setGetAndExpire(GetAndExpire.newBuilder().setExpiry(ExpiryMode.forNumber(getAndExpire.expiry().ordinal()))
                    .setExpiryMillis(getAndExpire.expiryMillis()));
        } else {
            throw new IllegalArgumentException("no wire form for " + mutation);
        }
        return m.build();
    }

    /**
     * @throws IllegalArgumentException for a message naming no mutation or an unknown enum value
     */
    static Mutation decode(Mutate m) {
        return switch (m.getKindCase()) {
            case SET -> new Mutation.Set(m.getSet().getValue().toByteArray(),
                    enumOf(Mutation.SetCondition.values(), m.getSet().getConditionValue()),
                    enumOf(Mutation.ExpiryMode.values(), m.getSet().getExpiryValue()), m.getSet().getExpiryMillis(),
                    m.getSet().getReturnOld());
            case INCREMENT_BY -> new Mutation.IncrementBy(m.getIncrementBy().getDelta());
            case APPEND -> new Mutation.Append(m.getAppend().getSuffix().toByteArray());
            case EXPIRE -> new Mutation.Expire(enumOf(Mutation.ExpiryMode.values(), m.getExpire().getExpiryValue()),
                    m.getExpire().getExpiryMillis(),
                    enumOf(Mutation.ExpireCondition.values(), m.getExpire().getConditionValue()));
            case PERSIST -> new Mutation.Persist();
            case GET_AND_DELETE -> new Mutation.GetAndDelete();
            case GET_AND_EXPIRE -> new Mutation.GetAndExpire(
                    enumOf(Mutation.ExpiryMode.values(), m.getGetAndExpire().getExpiryValue()),
                    m.getGetAndExpire().getExpiryMillis());
            case KIND_NOT_SET -> throw new IllegalArgumentException("a mutate request with no mutation");
        };
    }

    static Mutated encode(MutationResult result) {
        Mutated.Builder m = Mutated.newBuilder().setApplied(result.applied()).setNumber(result.number());
        if (result.value() != null) {
            m.setHasValue(true).setValue(ByteString.copyFrom(result.value()));
        }
        return m.build();
    }

    static MutationResult decode(Mutated m) {
        return new MutationResult(m.getApplied(), m.getHasValue() ? m.getValue().toByteArray() : null, m.getNumber());
    }

    private static <E extends Enum<E>> E enumOf(E[] values, int number) {
        if (number < 0 || number >= values.length) {
            throw new IllegalArgumentException("unknown " + values[0].getDeclaringClass().getSimpleName() + " " + number);
        }
        return values[number];
    }
}
