package io.ringcache.node.resp;

import java.util.Iterator;
import java.util.function.ToIntFunction;

/**
 * Looks up the keys of a pipeline's next read commands back to back, before any of them runs, as Redis 8
 * prefetches the keys of a batch of commands. Finding a key the CPU has not cached waits on several memory reads
 * in a row (the map's slot, its node, the key, the value); lookups issued one after another wait on them
 * together, while lookups with a whole command's work between them wait one at a time. The commands then find
 * their keys in the caches. Measured in {@code bench/RESULTS.md}: pipelined GETs of 100,000 keys on one event loop.
 * Writes are left out: bringing in the value a write replaces made pipelined SETs slower, not faster.
 *
 * <p>One per connection, used only on its event loop.
 */
final class KeyPrefetcher {

    /** Commands, and keys, looked ahead at once: Redis's default batch; their memory stays cached until they run. */
    static final int BATCH = 16;

    private final CommandTable commands;
    private final ToIntFunction<String> lookup;
    /**
     * Folds in the length of every value found. Nothing reads it: storing it is what keeps the JIT from dropping
     * the reads that bring the values into the caches.
     */
    private int lengths;

    /**
     * @param commands where a command's key positions are found
     * @param lookup looks a key up without side effects ({@code Group::prefetch}); returns the length of the
     *     value found, or -1
     */
    KeyPrefetcher(CommandTable commands, ToIntFunction<String> lookup) {
        this.commands = commands;
        this.lookup = lookup;
    }

    /**
     * Prefetches the keys of the first {@link #BATCH} requests (at most {@code BATCH} keys) and returns how many
     * requests that covered, at least one when there are any.
     */
    int prefetch(Iterable<RespRequest> requests) {
        int covered = 0;
        int keys = 0;
        Iterator<RespRequest> it = requests.iterator();
        for (; it.hasNext() && covered < BATCH && keys < BATCH; covered++) {
            if (it.next() instanceof RespRequest.Command command) {
                keys += prefetchKeys(command.arguments(), BATCH - keys);
            }
        }
        return covered;
    }

    /**
     * Looks up at most {@code room} of a read command's keys, as its {@link CommandSpec} places them; returns how
     * many.
     */
    private int prefetchKeys(byte[][] arguments, int room) {
        CommandSpec spec = commands.find(arguments[0]);
        if (spec == null || !spec.readOnly() || spec.firstKey() == 0 || spec.keyStep() < 1) {
            return 0;
        }
        int last = spec.lastKey() < 0 ? arguments.length + spec.lastKey()
                : Math.min(spec.lastKey(), arguments.length - 1);
        int done = 0;
        for (int i = spec.firstKey(); i <= last && done < room; i += spec.keyStep(), done++) {
            String key;
            try {
                key = Arguments.key(arguments[i]);
            } catch (CommandError notUtf8) {
                continue; // the command itself reports it
            }
            lengths += lookup.applyAsInt(key);
        }
        return done;
    }
}
