package io.ringcache.node.resp;

import io.ringcache.node.group.Group;
import io.ringcache.node.group.Mutation;
import io.ringcache.node.group.Mutation.ExpireCondition;
import io.ringcache.node.group.Mutation.ExpiryMode;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Commands about keys rather than their values: DEL, EXISTS, expiry and TYPE. Questions about an entry (TTL,
 * EXISTS, TYPE) read it with {@link Group#getEntry}: a read like GET's, routed to the key's owner, which loads a
 * missing key in a read-through group and counts towards its hot-key rate.
 */
final class KeyCommands {

    private KeyCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                CommandSpec.of("del", -2, "write", 1, -1, 1, "generic", "1.0.0",
                        "Deletes one or more keys.", KeyCommands::del),
                CommandSpec.of("unlink", -2, "write fast", 1, -1, 1, "generic", "4.0.0",
                        "Asynchronously deletes one or more keys.", KeyCommands::del),
                CommandSpec.of("exists", -2, "readonly fast", 1, -1, 1, "generic", "1.0.0",
                        "Determines whether one or more keys exist.", KeyCommands::exists),
                CommandSpec.of("expire", -3, "write fast", 1, 1, 1, "generic", "1.0.0",
                        "Sets the expiration time of a key in seconds.",
                        (client, args) -> expire(client, args, "expire", 1000)),
                CommandSpec.of("pexpire", -3, "write fast", 1, 1, 1, "generic", "2.6.0",
                        "Sets the expiration time of a key in milliseconds.",
                        (client, args) -> expire(client, args, "pexpire", 1)),
                CommandSpec.of("expireat", -3, "write fast", 1, 1, 1, "generic", "1.2.0",
                        "Sets the expiration time of a key to a Unix timestamp.",
                        (client, args) -> expire(client, args, "expireat", 1000)),
                CommandSpec.of("pexpireat", -3, "write fast", 1, 1, 1, "generic", "2.6.0",
                        "Sets the expiration time of a key to a Unix milliseconds timestamp.",
                        (client, args) -> expire(client, args, "pexpireat", 1)),
                CommandSpec.of("persist", 2, "write fast", 1, 1, 1, "generic", "2.2.0",
                        "Removes the expiration time of a key.",
                        (client, args) -> StringCommands.mutate(client, args, new Mutation.Persist())
                                .thenApply(result -> Reply.bool(result.applied()))),
                CommandSpec.of("ttl", 2, "readonly fast", 1, 1, 1, "generic", "1.0.0",
                        "Returns the expiration time in seconds of a key.", (client, args) -> ttl(client, args, false)),
                CommandSpec.of("pttl", 2, "readonly fast", 1, 1, 1, "generic", "2.6.0",
                        "Returns the expiration time in milliseconds of a key.",
                        (client, args) -> ttl(client, args, true)),
                CommandSpec.of("type", 2, "readonly fast", 1, 1, 1, "generic", "1.0.0",
                        "Determines the type of value stored at a key.", KeyCommands::type));
    }

    /**
     * DEL and UNLINK: the number of keys that held a value. A repeated key counts once, as in Redis. Every key is
     * checked before the first is deleted, so a refused DEL deletes nothing.
     */
    private static CompletionStage<Reply> del(ClientSession client, byte[][] args) {
        Group group = client.server().group();
        if (args.length == 2) {
            return group.delete(Arguments.key(args[1])).thenApply(Reply::bool);
        }
        Set<String> keys = new LinkedHashSet<>(keys(args));
        for (String key : keys) {
            client.server().limits().checkKey(key);
        }
        List<CompletableFuture<Boolean>> removed = new ArrayList<>(keys.size());
        for (String key : keys) {
            removed.add(group.delete(key));
        }
        return Futures.countTrue(removed).thenApply(Reply::integer);
    }

    /** The number of the given keys that hold a value; a repeated key counts each time. */
    private static CompletionStage<Reply> exists(ClientSession client, byte[][] args) {
        Group group = client.server().group();
        List<CompletableFuture<Boolean>> present = new ArrayList<>(args.length - 1);
        for (String key : keys(args)) {
            present.add(group.getEntry(key).thenApply(entry -> entry.isPresent()));
        }
        return Futures.countTrue(present).thenApply(Reply::integer);
    }

    /**
     * {@code EXPIRE key seconds [NX | XX | GT | LT]}, and PEXPIRE, EXPIREAT and PEXPIREAT (whose names end in
     * {@code at}: a Unix time rather than a time from now); a time in the past deletes the key.
     */
    private static CompletionStage<Reply> expire(ClientSession client, byte[][] args, String command,
                                                 long millisPerUnit) {
        ExpireCondition condition = expireCondition(args);
        long amount = Arguments.integer(args[2]);
        if (amount > Long.MAX_VALUE / millisPerUnit || amount < Long.MIN_VALUE / millisPerUnit) {
            throw CommandError.invalidExpireTime(command);
        }
        long millis = amount * millisPerUnit;
        boolean absolute = command.endsWith("at");
        if (!absolute && millis > Long.MAX_VALUE - client.server().time().nowMillis()) {
            throw CommandError.invalidExpireTime(command);
        }
        Mutation.Expire mutation = new Mutation.Expire(absolute ? ExpiryMode.AT_MILLIS : ExpiryMode.AFTER_MILLIS,
                millis, condition);
        return StringCommands.mutate(client, args, mutation).thenApply(result -> Reply.bool(result.applied()));
    }

    /** Redis's rules: NX, XX, GT, LT in any case; NX excludes the others, GT excludes LT. */
    private static ExpireCondition expireCondition(byte[][] args) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < args.length; i++) {
            if (Arguments.is(args[i], "nx")) {
                nx = true;
            } else if (Arguments.is(args[i], "xx")) {
                xx = true;
            } else if (Arguments.is(args[i], "gt")) {
                gt = true;
            } else if (Arguments.is(args[i], "lt")) {
                lt = true;
            } else {
                throw new ErrorLine("ERR Unsupported option ").argument(args[i]).error();
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        // XX with GT: GT already fails on a key without expiry, so XX adds nothing; with LT it does.
        return nx ? ExpireCondition.IF_NO_EXPIRY
                : gt ? ExpireCondition.IF_LATER
                : lt ? (xx ? ExpireCondition.IF_HAS_EXPIRY_AND_SOONER : ExpireCondition.IF_SOONER)
                : xx ? ExpireCondition.IF_HAS_EXPIRY
                : ExpireCondition.ALWAYS;
    }

    /** -2 for a missing key, -1 for one without expiry, else the time left (seconds rounded, as Redis does). */
    private static CompletionStage<Reply> ttl(ClientSession client, byte[][] args, boolean millis) {
        long now = client.server().time().nowMillis();
        return client.server().group().getEntry(Arguments.key(args[1])).thenApply(entry -> {
            if (entry.isEmpty()) {
                return Reply.integer(-2);
            }
            long left = entry.get().remainingMillisAt(now);
            if (left == StoredValue.NEVER) {
                return Reply.integer(-1);
            }
            return Reply.integer(millis ? left : (left + 500) / 1000);
        });
    }

    private static CompletionStage<Reply> type(ClientSession client, byte[][] args) {
        return client.server().group().getEntry(Arguments.key(args[1]))
                .thenApply(entry -> entry.isPresent() ? new Reply.Simple("string") : new Reply.Simple("none"));
    }

    private static List<String> keys(byte[][] args) {
        List<String> keys = new ArrayList<>(args.length - 1);
        for (int i = 1; i < args.length; i++) {
            keys.add(Arguments.key(args[i]));
        }
        return keys;
    }
}
