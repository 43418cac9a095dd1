package io.ringcache.node.resp;

import io.ringcache.node.group.Completed;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.Mutation;
import io.ringcache.node.group.Mutation.ExpiryMode;
import io.ringcache.node.group.Mutation.SetCondition;
import io.ringcache.node.group.MutationResult;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GET, SET and the other string commands. Plain reads and writes go to {@link Group#get} and {@link Group#put};
 * everything that reads and writes in one step goes to the key's owner as a {@link Mutation}.
 */
final class StringCommands {

    /** The reply of every write acknowledged at once; shared, as {@link Completed}'s futures are. */
    private static final CompletableFuture<Reply> OK = CompletableFuture.completedFuture(Reply.OK);

    private StringCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                CommandSpec.of("get", 2, "readonly fast", 1, 1, 1, "string", "1.0.0",
                        "Returns the string value of a key.", StringCommands::get),
                CommandSpec.of("set", -3, "write denyoom", 1, 1, 1, "string", "1.0.0",
                        "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
                        StringCommands::set),
                CommandSpec.of("setex", 4, "write denyoom", 1, 1, 1, "string", "2.0.0",
                        "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
                        (client, args) -> setWithTtl(client, args, "setex", 1000)),
                CommandSpec.of("psetex", 4, "write denyoom", 1, 1, 1, "string", "2.6.0",
                        "Sets both string value and expiration time in milliseconds of a key.",
                        (client, args) -> setWithTtl(client, args, "psetex", 1)),
                CommandSpec.of("setnx", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
                        "Set the string value of a key only when the key doesn't exist.", StringCommands::setnx),
                CommandSpec.of("getdel", 2, "write fast", 1, 1, 1, "string", "6.2.0",
                        "Returns the string value of a key after deleting the key.",
                        (client, args) -> mutate(client, args, new Mutation.GetAndDelete())
                                .thenApply(r -> Reply.bulkOrNull(r.value()))),
                CommandSpec.of("getex", -2, "write fast", 1, 1, 1, "string", "6.2.0",
                        "Returns the string value of a key after setting its expiration time.", StringCommands::getex),
                CommandSpec.of("mget", -2, "readonly fast", 1, -1, 1, "string", "1.0.0",
                        "Returns the string values of one or more keys.", StringCommands::mget),
                CommandSpec.of("mset", -3, "write denyoom", 1, -1, 2, "string", "1.0.1",
                        "Sets the string values of one or more keys (each key on its own, not as one transaction).",
                        StringCommands::mset),
                CommandSpec.of("incr", 2, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
                        "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                        (client, args) -> incrementBy(client, args, 1)),
                CommandSpec.of("decr", 2, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
                        "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
                        (client, args) -> incrementBy(client, args, -1)),
                CommandSpec.of("incrby", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
                        "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
                        (client, args) -> incrementBy(client, args, Arguments.integer(args[2]))),
                CommandSpec.of("decrby", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
                        "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
                        StringCommands::decrby),
                CommandSpec.of("append", 3, "write denyoom fast", 1, 1, 1, "string", "2.0.0",
                        "Appends a string to the value of a key. Creates the key if it doesn't exist.",
                        (client, args) -> mutate(client, args, new Mutation.Append(args[2]))
                                .thenApply(r -> Reply.integer(r.number()))),
                CommandSpec.of("strlen", 2, "readonly fast", 1, 1, 1, "string", "2.2.0",
                        "Returns the length of a string value.", StringCommands::strlen));
    }

    private static CompletionStage<Reply> get(ClientSession client, byte[][] args) {
        return client.server().group().read(client.key(args[1]), StringCommands::bulk, Reply.Null.INSTANCE);
    }

    /** {@code +OK} once {@code written} is acknowledged; a write acknowledged at once takes the shared reply. */
    private static CompletionStage<Reply> ok(CompletableFuture<Void> written) {
        return Completed.normally(written) ? OK : written.thenApply(done -> Reply.OK);
    }

    private static Reply bulk(StoredValue held) {
        return new Reply.Bulk(held.value());
    }

    /** {@code SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]}. */
    private static CompletionStage<Reply> set(ClientSession client, byte[][] args) {
        ExpiryOptions options = ExpiryOptions.parse(args, 3, ExpiryOptions.Command.SET);
        String key = Arguments.key(args[1]);
        Group group = client.server().group();
        boolean conditional = options.condition() != SetCondition.ALWAYS || options.returnOld();
        long millis = options.milliseconds(client.server().time().nowMillis(), "set");
        if (!conditional && (options.expiry() == ExpiryMode.GROUP_DEFAULT || options.expiry() == ExpiryMode.AFTER_MILLIS)) {
            Optional<Duration> ttl = options.expiry() == ExpiryMode.AFTER_MILLIS
                    ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
            return ok(group.put(key, args[2], ttl));
        }
        Mutation.Set mutation = new Mutation.Set(args[2], options.condition(), options.expiry(), millis,
                options.returnOld());
        return group.mutate(key, mutation).thenApply(result -> options.returnOld()
                ? Reply.bulkOrNull(result.value())
                : result.applied() ? Reply.OK : Reply.Null.INSTANCE);
    }

    /** SETEX and PSETEX: a positive TTL in seconds or milliseconds, then the value. */
    private static CompletionStage<Reply> setWithTtl(ClientSession client, byte[][] args, String command,
                                                     long millisPerUnit) {
        long amount = Arguments.integer(args[2]);
        long millis = ExpiryOptions.relativeMillis(amount, millisPerUnit, client.server().time().nowMillis(), command);
        return ok(client.server().group().put(Arguments.key(args[1]), args[3], Optional.of(Duration.ofMillis(millis))));
    }

    private static CompletionStage<Reply> setnx(ClientSession client, byte[][] args) {
        Mutation.Set mutation = new Mutation.Set(args[2], SetCondition.IF_ABSENT, ExpiryMode.GROUP_DEFAULT, 0, false);
        return mutate(client, args, mutation).thenApply(result -> Reply.bool(result.applied()));
    }

    /**
     * {@code GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]}. As in Redis, a missing key answers null even
     * when the time is invalid: Redis looks the key up after the options' syntax but before their time.
     */
    private static CompletionStage<Reply> getex(ClientSession client, byte[][] args) {
        ExpiryOptions options = ExpiryOptions.parse(args, 2, ExpiryOptions.Command.GETEX);
        long millis;
        try {
            millis = options.milliseconds(client.server().time().nowMillis(), "getex");
        } catch (CommandError invalidTime) {
            return client.server().group().getEntry(Arguments.key(args[1])).thenApply(entry -> {
                if (entry.isPresent()) {
                    throw invalidTime;
                }
                return Reply.Null.INSTANCE;
            });
        }
        ExpiryMode mode = options.expiry() == ExpiryMode.GROUP_DEFAULT ? ExpiryMode.KEEP : options.expiry();
        return mutate(client, args, new Mutation.GetAndExpire(mode, millis))
                .thenApply(result -> Reply.bulkOrNull(result.value()));
    }

    private static CompletionStage<Reply> mget(ClientSession client, byte[][] args) {
        Group group = client.server().group();
        List<CompletableFuture<Reply>> values = new ArrayList<>(args.length - 1);
        for (int i = 1; i < args.length; i++) {
            values.add(group.read(client.key(args[i]), StringCommands::bulk, Reply.Null.INSTANCE));
        }
        return Futures.allInOrder(values).thenApply(Reply.Array::new);
    }

    /** Every key and value is checked before the first is written, so a refused MSET writes nothing. */
    private static CompletionStage<Reply> mset(ClientSession client, byte[][] args) {
        if (args.length % 2 != 1) {
            throw new CommandError("ERR wrong number of arguments for 'mset' command");
        }
        Group group = client.server().group();
        String[] keys = new String[args.length / 2];
        for (int i = 1; i < args.length; i += 2) {
            keys[i / 2] = Arguments.key(args[i]);
            client.server().limits().checkKey(keys[i / 2]);
            client.server().limits().checkValue(args[i + 1].length);
            group.local().checkFits(keys[i / 2], args[i + 1]);
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            writes.add(group.put(keys[i], args[2 * i + 2], Optional.empty()));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> Reply.OK);
    }

    private static CompletionStage<Reply> decrby(ClientSession client, byte[][] args) {
        long decrement = Arguments.integer(args[2]);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        return incrementBy(client, args, -decrement);
    }

    private static CompletionStage<Reply> incrementBy(ClientSession client, byte[][] args, long delta) {
        return mutate(client, args, new Mutation.IncrementBy(delta)).thenApply(result -> Reply.integer(result.number()));
    }

    private static CompletionStage<Reply> strlen(ClientSession client, byte[][] args) {
        return client.server().group().getEntry(Arguments.key(args[1]))
                .thenApply(entry -> Reply.integer(entry.map(e -> e.value().length).orElse(0)));
    }

    static CompletableFuture<MutationResult> mutate(ClientSession client, byte[][] args, Mutation mutation) {
        return client.server().group().mutate(Arguments.key(args[1]), mutation);
    }
}
