package io.ringcache.node.handoff;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.StoredValue;
import org.junit.jupiter.api.Test;

class TransferBatchTest {

    /** 61 characters, sent with every entry. */
    private static final String LONG_GROUP = "a-group-whose-name-repeats-in-every-entry-of-a-hand-off-batch";
    private static final long VERSION = System.currentTimeMillis() << 16;

    @Test
    void aBatchOfTinyEntriesStaysWithinItsLimitAsEncoded() throws Exception {
        int limit = 4096;
        TransferBatch batch = new TransferBatch(LONG_GROUP, limit, true);
        long charged = 0;
        int i = 0;
        while (batch.add("k-" + i, tiny(i))) {
            charged += EntryCharge.BYTES.charge("k-" + i, tiny(i).value());
            i++;
        }
        Transfer transfer = batch.transfer();

        assertThat(transfer.getEntriesCount()).isEqualTo(i).isGreaterThan(1);
        assertThat(transfer.getSerializedSize()).isEqualTo(batch.bytes()).isLessThanOrEqualTo(limit);
        assertThat(transfer.toByteArray()).hasSize(batch.bytes());
        assertThat(charged).as("cut by key + value + 64, the batch would hold more entries").isLessThan(limit - 100);
        assertThat(transfer.getKeepsRefused()).isTrue();
        assertThat(transfer.getSenderLeaving()).isTrue();
    }

    @Test
    void anEntryLargerThanTheLimitIsABatchAlone() {
        TransferBatch batch = new TransferBatch("kv", 100, false);
        assertThat(batch.add("big", StoredValue.of(new byte[1_000], StoredValue.NEVER, VERSION))).isTrue();
        assertThat(batch.add("small", StoredValue.of("v".getBytes(UTF_8), StoredValue.NEVER, VERSION))).isFalse();

        assertThat(batch.entries()).extracting(TransferBatch.Moving::key).containsExactly("big");
        assertThat(batch.bytes()).isEqualTo(batch.transfer().getSerializedSize()).isGreaterThan(1_000);
    }

    @Test
    void anEntryThatFitsExactlyIsTakenAndTheNextIsNot() {
        TransferBatch probe = new TransferBatch("kv", Integer.MAX_VALUE, false);
        probe.add("a", StoredValue.of(new byte[10], StoredValue.NEVER, 0));
        probe.add("b", StoredValue.of(new byte[10], 1_700_000_000_000L, VERSION));
        TransferBatch batch = new TransferBatch("kv", probe.bytes(), false);

        assertThat(batch.add("a", StoredValue.of(new byte[10], StoredValue.NEVER, 0))).isTrue();
        assertThat(batch.add("b", StoredValue.of(new byte[10], 1_700_000_000_000L, VERSION))).isTrue();
        assertThat(batch.add("c", StoredValue.of(new byte[0], StoredValue.NEVER, 0))).isFalse();
        assertThat(batch.transfer().getSerializedSize()).isEqualTo(probe.bytes());
    }

    private static StoredValue tiny(int i) {
        return StoredValue.of(new byte[] {(byte) i}, 1_700_000_000_000L + i, VERSION + i);
    }
}
