package io.ringcache.node.resp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The commands the server knows, found by name in any case without allocating. Immutable. */
final class CommandTable {

    private final List<CommandSpec> all;
    /** Commands by name length, then searched by a case-insensitive comparison: a few per length. */
    private final CommandSpec[][] byLength;

    CommandTable(List<CommandSpec> specs) {
        this.all = List.copyOf(specs);
        int longest = 0;
        for (CommandSpec spec : specs) {
            longest = Math.max(longest, spec.name().length());
        }
        List<List<CommandSpec>> buckets = new ArrayList<>();
        for (int i = 0; i <= longest; i++) {
            buckets.add(new ArrayList<>());
        }
        for (CommandSpec spec : specs) {
            buckets.get(spec.name().length()).add(spec);
        }
        byLength = new CommandSpec[longest + 1][];
        for (int i = 0; i <= longest; i++) {
            byLength[i] = buckets.get(i).toArray(CommandSpec[]::new);
        }
    }

    /** Every command ringcache serves: strings, keys, server and connection commands. */
    static CommandTable standard() {
        List<CommandSpec> specs = new ArrayList<>();
        specs.addAll(StringCommands.specs());
        specs.addAll(KeyCommands.specs());
        specs.addAll(ServerCommands.specs());
        specs.addAll(ConnectionCommands.specs());
        return new CommandTable(specs);
    }

    /** The command called {@code name} in any case, or {@code null}. */
    CommandSpec find(byte[] name) {
        if (name.length >= byLength.length) {
            return null;
        }
        for (CommandSpec spec : byLength[name.length]) {
            if (Arguments.is(name, spec.name())) {
                return spec;
            }
        }
        return null;
    }

    /**
     * The command or subcommand with this full name in any case ({@code get}, {@code client|setname}), or
     * {@code null}: the names COMMAND INFO and COMMAND DOCS take.
     */
    CommandSpec findByFullName(byte[] name) {
        int bar = indexOf(name, (byte) '|');
        if (bar < 0) {
            return find(name);
        }
        CommandSpec container = find(Arrays.copyOfRange(name, 0, bar));
        return container == null ? null : findSubcommand(container, Arrays.copyOfRange(name, bar + 1, name.length));
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The subcommand of {@code container} called {@code name} in any case, or {@code null}. */
    static CommandSpec findSubcommand(CommandSpec container, byte[] name) {
        return container.subcommands().get(container.name() + "|" + Arguments.lowercase(name));
    }

    /** The commands in registration order. */
    List<CommandSpec> all() {
        return Collections.unmodifiableList(all);
    }

    int size() {
        return all.size();
    }
}
