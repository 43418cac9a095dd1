package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecimalIntegersTest {

    private static long parse(String s) {
        return DecimalIntegers.parse(s.getBytes(US_ASCII));
    }

    @Test
    void readsCanonicalDecimalsAcrossTheWholeRange() {
        assertThat(parse("0")).isZero();
        assertThat(parse("7")).isEqualTo(7);
        assertThat(parse("-42")).isEqualTo(-42);
        assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        byte[] framed = "x123y".getBytes(US_ASCII);
        assertThat(DecimalIntegers.parse(framed, 1, 3)).isEqualTo(123);
    }

    @Test
    void refusesEveryNonCanonicalForm() {
        for (String s : new String[] {"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1.0", "1e3", "abc",
                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "123456789012345678901"}) {
            assertThatThrownBy(() -> parse(s)).as("'%s'", s).isInstanceOf(NumberFormatException.class);
        }
    }
}
