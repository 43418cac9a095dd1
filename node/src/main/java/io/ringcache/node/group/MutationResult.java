package io.ringcache.node.group;

/**
 * What a {@link Mutation} did; which fields mean something depends on the mutation (see each one).
 *
 * @param applied whether the mutation changed the key ({@link Mutation.Set}, {@link Mutation.Expire},
 *     {@link Mutation.Persist})
 * @param value a value read by the mutation, or {@code null} for none ({@link Mutation.Set} with
 *     {@code returnOld}, {@link Mutation.GetAndDelete}, {@link Mutation.GetAndExpire})
 * @param number the number the mutation computed ({@link Mutation.IncrementBy}: the sum;
 *     {@link Mutation.Append}: the new length)
 */
public record MutationResult(boolean applied, byte[] value, long number) {

    public static MutationResult applied(boolean applied) {
        return new MutationResult(applied, null, 0);
    }

    public static MutationResult value(byte[] valueOrNull) {
        return new MutationResult(valueOrNull != null, valueOrNull, 0);
    }

    public static MutationResult number(long number) {
        return new MutationResult(true, null, number);
    }
}
