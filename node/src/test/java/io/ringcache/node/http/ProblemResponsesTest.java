package io.ringcache.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.group.WriteOutcomeUnknownException;
import io.ringcache.node.peer.PeerNoAnswerException;
import io.ringcache.node.peer.PeerUnavailableException;
import java.util.concurrent.CompletionException;
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
}
