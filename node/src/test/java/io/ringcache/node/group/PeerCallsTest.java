package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.peer.proto.PeerError;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures of a call let its request go to another member: any for a read, only a certain one for a write. */
class PeerCallsTest {

    private static RuntimeException answered(PeerError.Code code) {
        return PeerCalls.exceptionOf("m:1", PeerError.newBuilder().setCode(code).setMessage("why").build());
    }

    @Test
    void answersThatTheRequestWasNotAppliedLetAWriteGoToAnotherMember() {
        for (PeerError.Code code : new PeerError.Code[] {PeerError.Code.LEAVING, PeerError.Code.DEADLINE_EXCEEDED,
                PeerError.Code.NOT_OWNER}) {
            RuntimeException e = answered(code);
            assertThat(PeerCalls.certainlyNotServed(e)).as("%s", code).isTrue();
            assertThat(PeerCalls.certainlyNotServed(new CompletionException(e))).as("%s, wrapped", code).isTrue();
            assertThat(e).hasMessage("peer m:1: why");
        }
    }

    @Test
    void noAnswerToARequestSentLetsOnlyAReadGoToAnotherMember() {
        PeerNoAnswerException silent = new PeerNoAnswerException("peer m:1 did not answer within 100 ms");
        assertThat(PeerCalls.isUnreachable(silent)).isTrue();
        assertThat(PeerCalls.certainlyNotServed(silent)).isFalse();
        assertThat(PeerCalls.certainlyNotServed(new CompletionException(silent))).isFalse();

        PeerUnavailableException refused = new PeerUnavailableException("peer m:1 unreachable: refused");
        assertThat(PeerCalls.certainlyNotServed(refused)).isTrue();
    }

    @Test
    void otherFailuresAreNoReasonToAskAnotherMember() {
        RuntimeException loadFailed = answered(PeerError.Code.LOAD_FAILED);
        assertThat(PeerCalls.isUnreachable(loadFailed)).isFalse();
        assertThat(PeerCalls.certainlyNotServed(loadFailed)).isFalse();
    }

    @Test
    void aReceiversRefusalsTravelAsTheirOwnCodes() {
        assertThat(PeerCalls.errorOf(new DeadlinePassedException("late")).getCode())
                .isEqualTo(PeerError.Code.DEADLINE_EXCEEDED);
        assertThat(PeerCalls.errorOf(new CompletionException(new NotOwnerException("not mine"))).getCode())
                .isEqualTo(PeerError.Code.NOT_OWNER);
    }
}
