package io.ringcache.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.group.WriteOutcomeUnknownException;
import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import io.ringcache.node.peer.PeerUnsupportedOperationException;
import io.ringcache.node.testing.CapturedLog;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The problem a failure of the cluster becomes: whether a client may take a write as not applied. */
class ProblemResponsesTest {

    @Test
    void aWriteWhoseOwnerDidNotAnswerIsA504SayingItMayHaveBeenApplied() {
        Problem problem = ProblemResponses.problemOf(new CompletionException(new WriteOutcomeUnknownException(
                "peer 10.0.0.7:7100 did not answer within 4000 ms; the write may or may not have been applied")));
        assertThat(problem.status()).isEqualTo(504);
        assertThat(problem.type()).isEqualTo(ProblemType.BASE_URI + "write-outcome-unknown");
        assertThat(problem.detail()).endsWith("the write may or may not have been applied");
    }

    @Test
    void noMemberHoldingTheKeyReachableIsA503() {
        for (PeerUnavailableException e : new PeerUnavailableException[] {
                new PeerUnavailableException("no member holding key of group 'kv' could be reached"),
                new PeerNoAnswerException("peer 10.0.0.7:7100 did not answer within 2000 ms")}) {
            Problem problem = ProblemResponses.problemOf(e);
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.type()).isEqualTo(ProblemType.BASE_URI + "owner-unavailable");
        }
    }

    @Test
    void anOperationAMemberDoesNotKnowIsA502NamingItsVersionLoggedAtWarnWithoutAStackTrace() {
        String message = "peer 10.0.0.7:7100 does not support operation INCR_BY (an older version?): unknown operation";
        try (CapturedLog log = CapturedLog.of(ProblemResponses.class)) {
            Problem problem = ProblemResponses.problemOf(
                    new CompletionException(new PeerUnsupportedOperationException(message)));

            assertThat(problem.status()).isEqualTo(502);
            assertThat(problem.type()).isEqualTo(ProblemType.BASE_URI + "peer-unsupported-operation");
            assertThat(problem.title()).contains("another version");
            assertThat(problem.detail()).isEqualTo(message);
            assertThat(log.messages(Level.WARNING)).singleElement().asString().contains(message);
            assertThat(log.messages(Level.SEVERE)).isEmpty();
            assertThat(log.stackTraces()).isEmpty();
        }
    }
}
