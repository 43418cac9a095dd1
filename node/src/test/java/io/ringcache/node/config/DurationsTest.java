package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"30,30000", "500ms,500", "30s,30000", "5m,300000", "2h,7200000", "1d,86400000",
            "PT30S,30000", "pt1m,60000", "P1D,86400000", "PT0.5S,500"})
    void readsSecondsUnitsAndIso8601(String text, long millis) {
        assertThat(Durations.parsePositive("ttl", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "1.5", "10 parsecs", "-5", "P"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parsePositive("ttl", text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ttl: '")
                .hasMessageContaining("is not a duration");
    }

    /** ISO-8601 periods of years, months or weeks are no durations; the error says which ISO-8601 forms are. */
    @ParameterizedTest
    @ValueSource(strings = {"P1Y", "P1M", "P1W"})
    void refusesIso8601PeriodsNamingTheFormsThatWork(String text) {
        assertThatThrownBy(() -> Durations.parsePositive("ttl", text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("not years, months or weeks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "PT0S", "PT-5S"})
    void refusesDurationsThatAreNotPositive(String text) {
        assertThatThrownBy(() -> Durations.parsePositive("ttl", text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be longer than zero");
    }

    /** Durations are used in whole milliseconds: a shorter one would be a TTL that expires its value as it is written. */
    @ParameterizedTest
    @ValueSource(strings = {"PT0.0005S", "PT0.000000001S"})
    void refusesDurationsUnderAMillisecond(String text) {
        assertThatThrownBy(() -> Durations.parsePositive("ttl", text))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ttl: '" + text + "' is shorter than a millisecond; use at least 1ms");
        assertThat(Durations.parsePositive("ttl", "1ms")).isEqualTo(Duration.ofMillis(1));
    }

    /** Longer ones would overflow the clocks they are added to (an expiry, a deadline, a timer). */
    @ParameterizedTest
    @ValueSource(strings = {"106752d", "9223372036854775", "9223372036854775807", "PT9223372036854775807S",
        "99999999999999999999", "9999999999999999d", "PT99999999999999999999S", "P9999999999999999D"})
    void refusesDurationsTooLongForTheClocks(String text) {
        assertThatThrownBy(() -> Durations.parsePositive("ttl", text))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ttl: '" + text + "' is too long; use at most 106751d (about 292 years)");
        assertThat(Durations.parsePositive("ttl", "106751d")).isEqualTo(Durations.MAX);
        assertThat(Durations.MAX.toNanos()).isPositive();
    }

    @Test
    void formatsSoThatParsingReadsItBack() {
        for (Duration d : new Duration[] {Duration.ofMillis(1500), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofHours(2), Duration.ofDays(3)}) {
            assertThat(Durations.parsePositive("x", Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    }
}
