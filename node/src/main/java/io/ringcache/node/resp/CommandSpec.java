package io.ringcache.node.resp;

import java.util.List;
import java.util.Map;

/**
 * A command as {@code COMMAND} describes it and as the dispatcher checks it.
 *
 * @param name the full name in lowercase, {@code container|sub} for a subcommand (as Redis prints it in errors)
 * @param arity Redis's convention: the exact number of arguments including the name when positive, the least
 *     number when negative
 * @param flags Redis's command flags, e.g. {@code write}, {@code readonly}, {@code fast}, {@code no_auth}
 * @param firstKey the position of the first key argument, 0 for none
 * @param lastKey the position of the last key, -1 for the last argument
 * @param keyStep the distance between keys
 * @param group the documentation group: {@code string}, {@code generic}, {@code connection} or {@code server}
 * @param summary one line for {@code COMMAND DOCS}
 * @param since the Redis version that introduced it
 * @param action what it does; for a container, what it does without a subcommand, or {@code null} when it needs one
 * @param subcommands a container's subcommands by lowercase name; empty for a plain command
 */
record CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep, String group,
                   String summary, String since, Command action, Map<String, CommandSpec> subcommands) {

    CommandSpec {
        flags = List.copyOf(flags);
        subcommands = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subcommands));
    }

    /** A plain command; {@code flags} are separated by blanks. */
    static CommandSpec of(String name, int arity, String flags, int firstKey, int lastKey, int keyStep, String group,
                          String since, String summary, Command action) {
        return new CommandSpec(name, arity, List.of(flags.split(" ")), firstKey, lastKey, keyStep, group, summary,
                since, action, Map.of());
    }

    /**
     * A container command such as {@code CLIENT}; each subcommand's name is prefixed with {@code name|}.
     *
     * @param action what it does without a subcommand, or {@code null} when it needs one
     */
    static CommandSpec container(String name, int arity, String flags, String group, String since, String summary,
                                 Command action, List<CommandSpec> subcommands) {
        Map<String, CommandSpec> byName = new java.util.LinkedHashMap<>();
        for (CommandSpec sub : subcommands) {
            byName.put(sub.name(), sub);
        }
        return new CommandSpec(name, arity, List.of(flags.split(" ")), 0, 0, 0, group, summary, since, action,
                byName);
    }

    /** Whether it only reads keys (Redis's {@code readonly} flag). */
    boolean readOnly() {
        return flags.contains("readonly");
    }

    /** Whether a client that has not authenticated may run it. */
    boolean allowedBeforeAuth() {
        return flags.contains("no_auth");
    }

    boolean acceptsArgumentCount(int count) {
        return arity >= 0 ? count == arity : count >= -arity;
    }

    /** The name as Redis prints it in {@code Try X HELP.}: the container's name in capitals. */
    String helpName() {
        return name.toUpperCase(java.util.Locale.ROOT);
    }

    /** Redis's ACL categories, derived from the flags and the group. */
    List<String> aclCategories() {
        String family = switch (group) {
            case "string" -> "@string";
            case "generic" -> "@keyspace";
            case "connection" -> "@connection";
            default -> "@admin";
        };
        List<String> categories = new java.util.ArrayList<>();
        if (flags.contains("write")) {
            categories.add("@write");
        } else if (readOnly()) {
            categories.add("@read");
        }
        categories.add(family);
        categories.add(flags.contains("fast") ? "@fast" : "@slow");
        return categories;
    }
}
