package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RespSettingsTest {

    @Test
    void automaticLoopsAreOnePerCoreButOneAndAtLeastOne() {
        assertThat(RespSettings.automaticCount(1)).isEqualTo(1);
        assertThat(RespSettings.automaticCount(2)).isEqualTo(1);
        assertThat(RespSettings.automaticCount(4)).isEqualTo(3);
        assertThat(RespSettings.automaticCount(16)).isEqualTo(15);
    }

    @Test
    void aSetCountIsKeptAndANegativeOneRefused() {
        assertThat(new RespSettings(true, "127.0.0.1", 0, "default", Optional.empty(), 3).eventLoopCount())
                .isEqualTo(3);
        assertThatThrownBy(() -> new RespSettings(true, "127.0.0.1", 0, "default", Optional.empty(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RESP event loops must be 0 (automatic) or more, was -1");
    }
}
