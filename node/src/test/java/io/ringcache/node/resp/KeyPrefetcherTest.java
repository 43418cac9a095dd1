package io.ringcache.node.resp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which keys a pipeline's prefetch looks up, found where each command's key specification puts them. */
class KeyPrefetcherTest {

    private final List<String> looked = new ArrayList<>();
    private final KeyPrefetcher prefetcher = new KeyPrefetcher(CommandTable.standard(), key -> {
        looked.add(key);
        return null;
    });

    private static RespRequest command(String... arguments) {
        return new RespRequest.Command(Arrays.stream(arguments).map(a -> a.getBytes(UTF_8)).toArray(byte[][]::new));
    }

    @Test
    void looksUpTheKeysOfEachReadInOrderAndCountsTheRequestsItCovered() {
        int covered = prefetcher.prefetch(List.of(
                command("GET", "a"),
                command("set", "b", "value", "EX", "10"),
                command("PING"),
                command("MGET", "c", "d"),
                command("DEL", "e", "f"),
                command("exists", "g", "h")));

        assertThat(looked).containsExactly("a", "c", "d", "g", "h");
        assertThat(covered).isEqualTo(6);
    }

    @Test
    void skipsWhatHasNoKeysOrCannotBeAKey() {
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};
        int covered = prefetcher.prefetch(List.of(
                command("NOPE", "x"),
                command("CLIENT", "SETNAME", "x"),
                new RespRequest.Command(new byte[][] {"GET".getBytes(UTF_8), notUtf8}),
                new RespRequest.Violation("bad"),
                command("GET", "ümlaut")));

        assertThat(looked).containsExactly("ümlaut");
        assertThat(covered).isEqualTo(5);
    }

    @Test
    void readsTheValuesFoundWhateverTheirSize() {
        Map<String, StoredValue> held = Map.of(
                "empty", StoredValue.of(new byte[0], StoredValue.NEVER),
                "one", StoredValue.of(new byte[] {7}, StoredValue.NEVER),
                "large", StoredValue.of(new byte[1 << 20], StoredValue.NEVER));
        KeyPrefetcher overHeld = new KeyPrefetcher(CommandTable.standard(), key -> {
            looked.add(key);
            return held.get(key);
        });

        int covered = overHeld.prefetch(List.of(command("MGET", "empty", "absent", "one"), command("GET", "large")));

        assertThat(covered).isEqualTo(2);
        assertThat(looked).containsExactly("empty", "absent", "one", "large");
    }

    @Test
    void looksAheadAtMostOneBatchOfCommandsAndOfKeys() {
        List<RespRequest> gets = IntStream.range(0, 40).mapToObj(i -> command("GET", "k" + i)).toList();
        assertThat(prefetcher.prefetch(gets)).isEqualTo(KeyPrefetcher.BATCH);
        assertThat(looked).hasSize(KeyPrefetcher.BATCH).startsWith("k0", "k1").endsWith("k15");

        looked.clear();
        String[] mget = IntStream.range(0, 41).mapToObj(i -> i == 0 ? "MGET" : "m" + i).toArray(String[]::new);
        assertThat(prefetcher.prefetch(List.of(command(mget), command("GET", "after")))).isEqualTo(1);
        assertThat(looked).hasSize(KeyPrefetcher.BATCH).startsWith("m1").endsWith("m16");
    }

    @Test
    void handsTheCommandsTheKeysItDecodedAndDecodesAnyOtherArgument() {
        RespRequest.Command first = (RespRequest.Command) command("GET", "a");
        RespRequest.Command second = (RespRequest.Command) command("MGET", "b", "c");
        RespRequest.Command notLookedUp = (RespRequest.Command) command("GET", "later");
        prefetcher.prefetch(List.of(first, second));

        assertThat(prefetcher.keyOf(first.arguments()[1])).isSameAs(looked.get(0));
        assertThat(prefetcher.keyOf(second.arguments()[1])).isSameAs(looked.get(1));
        assertThat(prefetcher.keyOf(second.arguments()[2])).isSameAs(looked.get(2));
        // Equal bytes in another array are another argument: decoded afresh, to the same text.
        assertThat(prefetcher.keyOf("a".getBytes(UTF_8))).isEqualTo("a").isNotSameAs(looked.get(0));
        assertThat(prefetcher.keyOf(notLookedUp.arguments()[1])).isEqualTo("later");
        assertThatThrownBy(() -> prefetcher.keyOf(new byte[] {(byte) 0xC3, (byte) 0x28}))
                .isInstanceOf(CommandError.class);
    }
}
