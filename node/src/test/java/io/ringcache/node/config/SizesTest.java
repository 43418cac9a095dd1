package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "100B,100", "64M,67108864", "64MiB,67108864", "512Mi,536870912",
            "1g,1073741824", "2K,2048", "2KB,2048", "1T,1099511627776", " 8 M ,8388608"})
    void readsBytesAndBinarySuffixes(String text, long bytes) {
        assertThat(Sizes.parse("k", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"64X", "", "M", "-1", "1.5M", "12i", "99999999999999999999", "9999999999T"})
    void refusesWhatIsNotASizeNamingTheKey(String text) {
        assertThatThrownBy(() -> Sizes.parse("ringcache.groups.items.max-bytes", text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ringcache.groups.items.max-bytes: '" + text + "' is not a size")
                .hasMessageContaining("use bytes or a suffix K, M, G");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Sizes.format(64L << 20)).isEqualTo("64M");
        assertThat(Sizes.format(1536)).isEqualTo("1536");
        assertThat(Sizes.format(2048)).isEqualTo("2K");
        assertThat(Sizes.format(0)).isEqualTo("0");
    }
}
