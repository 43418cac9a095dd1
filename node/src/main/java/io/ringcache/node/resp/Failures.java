package io.ringcache.node.resp;

import io.ringcache.node.group.InvalidKeyException;
import io.ringcache.node.group.MutationRefusedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/** Turns what a command or its future failed with into the error reply a Redis client expects. */
final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    private Failures() {
    }

    static Reply reply(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandError error) {
            return error.reply();
        }
        if (cause instanceof MutationRefusedException refused) {
            return Reply.error(switch (refused.reason()) {
                case NOT_AN_INTEGER -> "ERR value is not an integer or out of range";
                case WOULD_OVERFLOW -> "ERR increment or decrement would overflow";
            });
        }
        if (cause instanceof InvalidKeyException) {
            return Reply.error("ERR invalid key: " + cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                || cause.getClass().getPackageName().startsWith("io.ringcache")) {
            // Our own exceptions (value too large, load failed or timed out, peer unavailable) say what happened.
            return Reply.error("ERR " + cause.getMessage());
        }
        LOG.warnf(cause, "a RESP command failed unexpectedly");
        return Reply.error("ERR internal error: " + cause);
    }
}
