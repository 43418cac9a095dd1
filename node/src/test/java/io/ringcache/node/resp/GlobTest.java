package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starsQuestionMarksClassesAndEscapesMatchAsInRedis() {
        assertThat(Glob.matchesIgnoringCase("*", "maxmemory")).isTrue();
        assertThat(Glob.matchesIgnoringCase("max*", "maxmemory")).isTrue();
        assertThat(Glob.matchesIgnoringCase("*mem*", "maxmemory")).isTrue();
        assertThat(Glob.matchesIgnoringCase("MAX*", "maxmemory")).isTrue();
        assertThat(Glob.matchesIgnoringCase("s?ve", "save")).isTrue();
        assertThat(Glob.matchesIgnoringCase("[a-s]ave", "save")).isTrue();
        assertThat(Glob.matchesIgnoringCase("[^s]ave", "save")).isFalse();
        assertThat(Glob.matchesIgnoringCase("sav\\e", "save")).isTrue();
        assertThat(Glob.matchesIgnoringCase("save", "saves")).isFalse();
        assertThat(Glob.matchesIgnoringCase("*x", "save")).isFalse();
        assertThat(Glob.matchesIgnoringCase("[ab", "[ab")).isTrue();
    }
}
