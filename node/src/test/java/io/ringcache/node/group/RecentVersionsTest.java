package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Versions remembered for a time after their latest note, of the latest notes only. */
class RecentVersionsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RecentVersions memory = new RecentVersions(Duration.ofMillis(100), 3, now::get);

    @Test
    void aVersionIsRememberedForTheFullTimeFromItsLatestNote() {
        memory.note("k", 5);
        now.addAndGet(99);
        assertThat(memory.versionOf("k")).isEqualTo(5);
        memory.note("k", 5);
        now.addAndGet(99);
        assertThat(memory.versionOf("k")).as("noted again").isEqualTo(5);
        now.addAndGet(1);
        assertThat(memory.versionOf("k")).isNull();
    }

    @Test
    void theNewestVersionNotedStandsWhateverTheOrderOfTheNotes() {
        memory.note("k", 7);
        memory.note("k", 5);
        assertThat(memory.versionOf("k")).isEqualTo(7);
        now.addAndGet(100);
        memory.note("k", 5);
        assertThat(memory.versionOf("k")).as("once the newer is forgotten").isEqualTo(5);
    }

    @Test
    void pastTheBoundTheOldestNoteIsForgottenFirst() {
        memory.note("a", 1);
        memory.note("b", 2);
        memory.note("c", 3);
        memory.note("a", 4);
        assertThat(memory.versionOf("a")).as("noted again: its first note goes, not the key").isEqualTo(4);
        memory.note("d", 5);
        assertThat(memory.versionOf("b")).isNull();
        assertThat(memory.versionOf("c")).isEqualTo(3);
        assertThat(memory.versionOf("d")).isEqualTo(5);
        assertThat(memory.versionOf("a")).isEqualTo(4);
    }

    @Test
    void aNoteTakesOffAFewNotesWhoseTimeIsUpNotTheWholeBacklog() {
        RecentVersions large = new RecentVersions(Duration.ofMillis(100), 10_000, now::get);
        for (int i = 0; i < 1_000; i++) {
            large.note("old" + i, i);
        }
        now.addAndGet(100);
        large.note("new", 1);
        assertThat(large.notesHeld()).as("the first note after a quiet time")
                .isEqualTo(1_000 - RecentVersions.EXPIRED_PER_NOTE + 1);
        for (int i = 0; i < 1_000; i++) {
            large.note("new", 1);
        }
        assertThat(large.notesHeld()).as("the backlog gone while notes come: only the new ones are left")
                .isEqualTo(1_001);
        assertThat(large.versionOf("old999")).isNull();
    }
}
