package io.ringcache.node.discovery;

import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Counts failed attempts and keeps the log readable while they repeat: the first failure of a streak is one
 * ERROR line that says what is wrong and what to do; further failures with the same explanation are counted
 * and logged at DEBUG only (with the stack trace, for whoever turns DEBUG on); a different explanation is a
 * new ERROR line; the end of the streak is one INFO line. So a node without permission retries for hours
 * without flooding its log.
 */
final class FailureStreak {

    private final Logger log;
    private final AtomicLong failures = new AtomicLong();
    private String reported;
    private int length;

    FailureStreak(Logger log) {
        this.log = log;
    }

    /** Records a failed attempt; {@code explanation} is one line without the stack trace. */
    synchronized void failed(String explanation, Throwable cause) {
        failures.incrementAndGet();
        length++;
        if (!explanation.equals(reported)) {
            log.error(explanation);
            reported = explanation;
        }
        log.debug("discovery attempt failed", cause);
    }

    /** Records a successful attempt, ending the streak if there was one. */
    synchronized void succeeded() {
        if (reported != null) {
            log.infof("Kubernetes discovery works again after %d failed attempt%s", length, length == 1 ? "" : "s");
        }
        reported = null;
        length = 0;
    }

    /** Failed attempts since the start. */
    long failures() {
        return failures.get();
    }
}
