package io.ringcache.node.resp;

import io.ringcache.node.store.StoredValue;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Looks up the keys of a pipeline's next read commands back to back, before any of them runs, as Redis 8
 * prefetches the keys of a batch of commands. Finding a key the CPU has not cached waits on several memory reads
 * in a row (the map's slot, its node, the key, the value); lookups issued one after another wait on them
 * together, while lookups with a whole command's work between them wait one at a time. The commands then find
 * their keys in the caches. Measured in {@code bench/RESULTS.md}: pipelined GETs of 100,000 keys on one event loop.
 *
 * <p>The map lookups come first, one per key; then every value object found is read, then every value's bytes.
 * Each of those two steps reads objects that do not depend on each other, so the CPU waits on all of a batch's
 * misses at once. Chained per key (lookup, value object, bytes), the misses of one key were waited on one after
 * another, which mattered most for values written a moment ago, whose object and bytes the collector has not
 * yet moved next to each other.
 * Writes are left out: bringing in the value a write replaces made pipelined SETs slower, not faster.
 * The commands then take their keys from {@link #keyOf}: the strings decoded here, hashes computed.
 *
 * <p>One per connection, used only on its event loop.
 */
final class KeyPrefetcher {

    /** Commands, and keys, looked ahead at once: Redis's default batch; their memory stays cached until they run. */
    static final int BATCH = 16;

    private final CommandTable commands;
    private final Function<String, StoredValue> lookup;
    /** The values the lookups of one batch found ({@code null} where none), then their bytes. */
    private final StoredValue[] found = new StoredValue[BATCH];
    private final byte[][] bytes = new byte[BATCH][];
    /** The key arguments of the last batch, in order, and the strings decoded from them. */
    private final byte[][] keyArguments = new byte[BATCH][];
    private final String[] keyTexts = new String[BATCH];
    private int keyCount;
    /** Where {@link #keyOf} looks first: the commands run in the order their keys were looked up. */
    private int nextKey;
    /**
     * Folds in a byte of every value found. Nothing reads it: storing it is what keeps the JIT from dropping
     * the reads that bring the values into the caches.
     */
    private int touched;

    /**
     * @param commands where a command's key positions are found
     * @param lookup looks a key up without side effects ({@code Group::prefetch}); returns the value found, or
     *     {@code null}
     */
    KeyPrefetcher(CommandTable commands, Function<String, StoredValue> lookup) {
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
        keyCount = 0;
        nextKey = 0;
        Iterator<RespRequest> it = requests.iterator();
        for (; it.hasNext() && covered < BATCH && keys < BATCH; covered++) {
            if (it.next() instanceof RespRequest.Command command) {
                keys += lookUpKeys(command.arguments(), keys);
            }
        }
        touchValues(keys);
        return covered;
    }

    /**
     * The key in {@code argument}: the string decoded by the last batch's lookups when this argument was one of
     * them, else {@link Arguments#key} of it.
     */
    String keyOf(byte[] argument) {
        for (int i = nextKey; i < keyCount; i++) {
            if (keyArguments[i] == argument) {
                nextKey = i + 1;
                return keyTexts[i];
            }
        }
        return Arguments.key(argument);
    }

    /** Reads the value objects found, then their bytes: two rounds of independent reads. */
    private void touchValues(int count) {
        for (int i = 0; i < count; i++) {
            bytes[i] = found[i] == null ? null : found[i].value();
        }
        for (int i = 0; i < count; i++) {
            byte[] value = bytes[i];
            if (value != null && value.length > 0) {
                touched += value[0] + value[value.length - 1];
            }
        }
        // Holds no value past the batch: a large one could be dropped from the store meanwhile.
        Arrays.fill(found, 0, count, null);
        Arrays.fill(bytes, 0, count, null);
    }

    /**
     * Looks up a read command's keys, as its {@link CommandSpec} places them, into {@link #found} from
     * {@code first} on while there is room; returns how many.
     */
    private int lookUpKeys(byte[][] arguments, int first) {
        int room = BATCH - first;
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
            found[first + done] = lookup.apply(key);
            keyArguments[keyCount] = arguments[i];
            keyTexts[keyCount++] = key;
        }
        return done;
    }
}
