package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a peer connection is read: only while both its requests in progress and its unwritten answers allow it. */
class PeerReadGateTest {

    private final LongAdder pauses = new LongAdder();
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel(new PeerReadGate(pauses));
    }

    @Test
    void aConnectionIsReadAgainOnlyOnceItsRequestsInProgressFallToTheResumeMark() {
        read(PeerReadGate.MAX_IN_PROGRESS - 1);
        assertThat(channel.config().isAutoRead()).as("read below the maximum in progress").isTrue();
        read(1);
        assertThat(channel.config().isAutoRead()).as("read at the maximum in progress").isFalse();

        answer(PeerReadGate.MAX_IN_PROGRESS - PeerReadGate.RESUME_IN_PROGRESS - 1);
        assertThat(channel.config().isAutoRead()).as("read one above the resume mark").isFalse();
        answer(1);
        assertThat(channel.config().isAutoRead()).as("read at the resume mark").isTrue();
        assertThat(pauses.sum()).as("pauses counted").isEqualTo(1);
    }

    @Test
    void aConnectionWhoseAnswersWaitIsNotReadAgainWhenItsRequestsInProgressFall() {
        read(PeerReadGate.MAX_IN_PROGRESS);
        waitingAnswersAboveTheHighMark(true);
        answer(PeerReadGate.MAX_IN_PROGRESS);
        assertThat(channel.config().isAutoRead()).as("read with no request in progress, its answers waiting")
                .isFalse();
        waitingAnswersAboveTheHighMark(false);
        assertThat(channel.config().isAutoRead()).as("read once its answers drained").isTrue();
    }

    @Test
    void aConnectionWithTooManyRequestsInProgressIsNotReadAgainWhenItsAnswersDrain() {
        waitingAnswersAboveTheHighMark(true);
        assertThat(channel.config().isAutoRead()).as("read with its answers waiting").isFalse();
        read(PeerReadGate.MAX_IN_PROGRESS);
        waitingAnswersAboveTheHighMark(false);
        assertThat(channel.config().isAutoRead()).as("read with its answers drained, too many requests in progress")
                .isFalse();
        answer(PeerReadGate.MAX_IN_PROGRESS - PeerReadGate.RESUME_IN_PROGRESS);
        assertThat(channel.config().isAutoRead()).as("read once both allow it").isTrue();
    }

    /**
     * Its caller's ping waits behind the requests not read: keep-alives tell it the connection is there. They are
     * not answers, so they neither resume reading before the resume mark nor go on once it resumed.
     */
    @Test
    void aConnectionPausedForItsRequestsInProgressIsSentKeepAlivesThatAreNotCountedAsAnswers() {
        read(PeerReadGate.MAX_IN_PROGRESS);
        assertThat(keepAlivesSentIn(5)).as("keep-alives sent in five periods while paused").isEqualTo(5);

        answer(PeerReadGate.MAX_IN_PROGRESS - PeerReadGate.RESUME_IN_PROGRESS - 1);
        assertThat(channel.config().isAutoRead()).as("read one above the resume mark, keep-alives sent").isFalse();
        answer(1);
        assertThat(channel.config().isAutoRead()).as("read at the resume mark").isTrue();
        assertThat(keepAlivesSentIn(5)).as("keep-alives sent once reading again").isZero();
    }

    private void read(int requests) {
        for (int i = 0; i < requests; i++) {
            channel.writeInbound(PeerRequest.getDefaultInstance());
        }
    }

    private void answer(int requests) {
        for (int i = 0; i < requests; i++) {
            channel.writeOutbound(PeerResponse.getDefaultInstance());
        }
    }

    /** The keep-alives written in {@code periods} of {@link PeerReadGate#KEEP_ALIVE_MILLIS}; answers are dropped. */
    private int keepAlivesSentIn(int periods) {
        for (int i = 0; i < periods; i++) {
            channel.advanceTimeBy(PeerReadGate.KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        int keepAlives = 0;
        for (Object written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            // The test's answers are bare responses; the gate's own writes are framed.
            if (written instanceof StampedMessage) {
                keepAlives++;
            }
        }
        return keepAlives;
    }

    /** Turns the channel unwritable, as answers waiting above the write buffer's high mark do, or writable again. */
    private void waitingAnswersAboveTheHighMark(boolean waiting) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, !waiting);
        // The change is told to the pipeline in a task of the channel's loop.
        channel.runPendingTasks();
    }
}
