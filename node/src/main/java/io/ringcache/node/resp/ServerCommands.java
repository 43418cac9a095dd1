package io.ringcache.node.resp;

import io.ringcache.node.store.EvictionPolicyName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DBSIZE, FLUSHDB, FLUSHALL, INFO, CONFIG GET and COMMAND. */
final class ServerCommands {

    private ServerCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                CommandSpec.of("dbsize", 1, "readonly fast", 0, 0, 0, "server", "1.0.0",
                        "Returns the number of keys in the group, across the cluster.",
                        (client, args) -> client.server().group().size().thenApply(Reply::integer)),
                CommandSpec.of("flushdb", -1, "write", 0, 0, 0, "server", "1.0.0",
                        "Removes all keys from the group, across the cluster.", ServerCommands::flush),
                CommandSpec.of("flushall", -1, "write", 0, 0, 0, "server", "1.0.0",
                        "Removes all keys from the group, across the cluster.", ServerCommands::flush),
                CommandSpec.of("info", -1, "loading stale", 0, 0, 0, "server", "1.0.0",
                        "Returns information and statistics about the server.",
                        (client, args) -> done(new Reply.Verbatim("txt", InfoReport.of(client, args)))),
                CommandSpec.container("config", -2, "", "server", "2.0.0", "A container for server configuration commands.",
                        null, List.of(CommandSpec.of("config|get", -3, "admin noscript loading stale", 0, 0, 0,
                                "server", "2.0.0", "Returns the effective values of configuration parameters.",
                                ServerCommands::configGet))),
                CommandSpec.container("command", -1, "loading stale", "server", "2.8.13",
                        "Returns detailed information about all commands.", ServerCommands::commandInfoAll, List.of(
                                CommandSpec.of("command|count", 2, "loading stale", 0, 0, 0, "server", "2.8.13",
                                        "Returns a count of commands.",
                                        (client, args) -> done(Reply.integer(client.server().commands().size()))),
                                CommandSpec.of("command|docs", -2, "loading stale", 0, 0, 0, "server", "7.0.0",
                                        "Returns documentary information about one, multiple or all commands.",
                                        ServerCommands::commandDocs),
                                CommandSpec.of("command|info", -2, "loading stale", 0, 0, 0, "server", "2.8.13",
                                        "Returns information about one, multiple or all commands.",
                                        ServerCommands::commandInfo))));
    }

    /** FLUSHDB and FLUSHALL take an optional ASYNC or SYNC, which makes no difference here. */
    private static CompletionStage<Reply> flush(ClientSession client, byte[][] args) {
        if (args.length > 2 || (args.length == 2 && !Arguments.is(args[1], "async") && !Arguments.is(args[1], "sync"))) {
            throw CommandError.syntax();
        }
        return client.server().group().clear().thenApply(done -> Reply.OK);
    }

    /**
     * {@code CONFIG GET pattern [pattern ...]}: the parameters a tool may ask about, each at most once. As in Redis,
     * a name without glob characters is answered under the name as given ({@code SAVE} stays {@code SAVE}); a glob
     * answers with the parameters' own names.
     */
    private static CompletionStage<Reply> configGet(ClientSession client, byte[][] args) {
        Map<String, String> parameters = configParameters(client.server());
        // The parameter's own name to the name the reply gives it.
        Map<String, String> matched = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String pattern = Arguments.text(args[i]);
            if (isGlob(pattern)) {
                for (String name : parameters.keySet()) {
                    if (Glob.matchesIgnoringCase(pattern, name)) {
                        matched.putIfAbsent(name, name);
                    }
                }
            } else {
                String name = pattern.toLowerCase(Locale.ROOT);
                if (parameters.containsKey(name)) {
                    matched.putIfAbsent(name, pattern);
                }
            }
        }
        List<Reply> pairs = new ArrayList<>();
        matched.forEach((name, shownAs) -> {
            pairs.add(Reply.bulk(shownAs));
            pairs.add(Reply.bulk(parameters.get(name)));
        });
        return done(new Reply.Map(pairs));
    }

    /** Whether {@code pattern} has a character Redis's CONFIG GET treats as a glob. */
    private static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /**
     * The parameters CONFIG GET knows, with their real values: no persistence ({@code save} empty,
     * {@code appendonly no}, which redis-benchmark asks about), one database, the group's budget and policy.
     * {@code requirepass} is deliberately absent: the password is never handed out.
     */
    private static Map<String, String> configParameters(ServerContext server) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("save", "");
        parameters.put("appendonly", "no");
        parameters.put("databases", "1");
        parameters.put("maxmemory", Long.toString(server.group().settings().maxBytes()));
        parameters.put("maxmemory-policy", maxmemoryPolicy(server.group().settings().eviction()));
        parameters.put("port", Integer.toString(server.port()));
        parameters.put("bind", server.settings().host());
        parameters.put("proto-max-bulk-len", Integer.toString(server.limits().maxValueBytes()));
        parameters.put("timeout", "0");
        return parameters;
    }

    /**
     * Redis's name for the eviction policy closest to {@code policy}, for tools that read {@code maxmemory-policy}.
     * Every ringcache policy evicts from all keys (never only from keys with a TTL, {@code volatile-*}) and never
     * refuses a write for room ({@code noeviction}). TinyLFU admits and evicts by how often keys are read, as LFU
     * does; FIFO (by insertion) and LRU-2 (by the second-to-last read) evict by age, as LRU does. {@code INFO memory}
     * names the policy exactly.
     */
    static String maxmemoryPolicy(EvictionPolicyName policy) {
        return switch (policy) {
            case TINYLFU, LFU -> "allkeys-lfu";
            case LRU, LRU2, FIFO -> "allkeys-lru";
        };
    }

    private static CompletionStage<Reply> commandInfoAll(ClientSession client, byte[][] args) {
        List<Reply> infos = new ArrayList<>();
        for (CommandSpec spec : client.server().commands().all()) {
            infos.add(info(spec));
        }
        return done(new Reply.Array(infos));
    }

    /** {@code COMMAND INFO [name ...]}: null for an unknown name; every command without names. A name may be a
     * subcommand's full name ({@code client|setname}), as in Redis. */
    private static CompletionStage<Reply> commandInfo(ClientSession client, byte[][] args) {
        if (args.length == 2) {
            return commandInfoAll(client, args);
        }
        List<Reply> infos = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            CommandSpec spec = client.server().commands().findByFullName(args[i]);
            infos.add(spec == null ? Reply.Null.INSTANCE : info(spec));
        }
        return done(new Reply.Array(infos));
    }

    /** {@code COMMAND DOCS [name ...]}: a map of name to summary, since and group; unknown names are left out. */
    private static CompletionStage<Reply> commandDocs(ClientSession client, byte[][] args) {
        List<CommandSpec> specs = new ArrayList<>();
        if (args.length == 2) {
            specs.addAll(client.server().commands().all());
        } else {
            for (int i = 2; i < args.length; i++) {
                CommandSpec spec = client.server().commands().findByFullName(args[i]);
                if (spec != null) {
                    specs.add(spec);
                }
            }
        }
        List<Reply> docs = new ArrayList<>();
        for (CommandSpec spec : specs) {
            docs.add(Reply.bulk(spec.name()));
            docs.add(doc(spec));
        }
        return done(new Reply.Map(docs));
    }

    private static Reply doc(CommandSpec spec) {
        List<Reply> fields = new ArrayList<>(List.of(
                Reply.bulk("summary"), Reply.bulk(spec.summary()),
                Reply.bulk("since"), Reply.bulk(spec.since()),
                Reply.bulk("group"), Reply.bulk(spec.group())));
        if (!spec.subcommands().isEmpty()) {
            List<Reply> subs = new ArrayList<>();
            for (CommandSpec sub : spec.subcommands().values()) {
                subs.add(Reply.bulk(sub.name()));
                subs.add(doc(sub));
            }
            fields.add(Reply.bulk("subcommands"));
            fields.add(new Reply.Map(subs));
        }
        return new Reply.Map(fields);
    }

    /**
     * Redis 7's ten-element command info: name, arity, flags, first key, last key, key step, ACL categories,
     * tips, key specifications (none given) and subcommands.
     */
    private static Reply info(CommandSpec spec) {
        List<Reply> flags = new ArrayList<>();
        for (String flag : spec.flags()) {
            if (!flag.isEmpty()) {
                flags.add(new Reply.Simple(flag));
            }
        }
        List<Reply> categories = new ArrayList<>();
        for (String category : spec.aclCategories()) {
            categories.add(new Reply.Simple(category));
        }
        List<Reply> subcommands = new ArrayList<>();
        for (CommandSpec sub : spec.subcommands().values()) {
            subcommands.add(info(sub));
        }
        return new Reply.Array(List.of(
                Reply.bulk(spec.name()),
                Reply.integer(spec.arity()),
                new Reply.Set(flags),
                Reply.integer(spec.firstKey()),
                Reply.integer(spec.lastKey()),
                Reply.integer(spec.keyStep()),
                new Reply.Set(categories),
                new Reply.Set(List.of()),
                new Reply.Set(List.of()),
                new Reply.Set(subcommands)));
    }

    static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
