package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoredValue;
import java.util.function.ToLongFunction;

/** A check shared by the tests of LocalGroup's bounded memories of removals and of evictions. */
final class RecentMemoryChecks {

    private RecentMemoryChecks() {
    }

    /**
     * Checks that a memory filled past its bound, read through {@code versionOf}, still tells the version of each of
     * the latest keys noted, {@code "key" + latest} up to {@code "key" + (end - 1)}, and has pushed out the one noted
     * just before them, {@code "key" + (latest - 1)}; {@code what} names what is remembered, e.g. "deletes".
     */
    static void assertLatestRememberedOldestPushedOut(ToLongFunction<String> versionOf, int latest, int end,
            String what) {
        int forgotten = 0;
        for (int i = latest; i < end; i++) {
            if (versionOf.applyAsLong("key" + i) == StoredValue.UNVERSIONED) {
                forgotten++;
            }
        }
        assertThat(forgotten).as("the latest " + what + " forgotten").isZero();
        assertThat(versionOf.applyAsLong("key" + (latest - 1))).as("the oldest pushed out")
                .isEqualTo(StoredValue.UNVERSIONED);
    }
}
