package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerUnsupportedOperationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The error line a failure of the cluster becomes for a Redis client. */
class FailuresTest {

    @Test
    void anOperationAMemberDoesNotKnowIsAnErrNamingThePeerNotAnInternalError() {
        String message = "peer 10.0.0.7:7100 does not support operation INCR_BY (an older version?): unknown operation";
        Reply reply = Failures.reply(new CompletionException(new PeerUnsupportedOperationException(message)));

        assertThat(reply).isInstanceOfSatisfying(Reply.Error.class,
                error -> assertThat(error.text()).isEqualTo("ERR " + message));
    }
}
