package io.ringcache.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyGetPathTest {

    private static KeyGetPath parse(String path) {
        return KeyGetPath.parse(path, path);
    }

    @Test
    void groupAndRawKeyAreTakenFromThePathAsSent() {
        assertThat(parse("/v1/groups/default/keys/greeting")).isEqualTo(new KeyGetPath("default", "greeting"));
        assertThat(parse("/v1/groups/a+b/keys/x+y")).isEqualTo(new KeyGetPath("a+b", "x+y"));
    }

    @Test
    void theKeyKeepsItsEscapesAndSlashesForKeyPaths() {
        assertThat(parse("/v1/groups/default/keys/a%2Fb/c%20d%E6%97%A5"))
                .isEqualTo(new KeyGetPath("default", "a%2Fb/c%20d%E6%97%A5"));
        assertThat(parse("/v1/groups/default/keys/keys/k")).isEqualTo(new KeyGetPath("default", "keys/k"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/v1/groups/default/keys/",          // empty key: the resource answers invalid-key
            "/v1/groups/default/keys/greeting/", // Quarkus REST drops a trailing slash
            "/v1/groups/default/keys/a//b",      // and empty segments
            "/v1/groups/default/keys/a;m=1",     // and matrix parameters
            "/v1/groups//keys/k",                // an empty group matches no resource
            "/v1/groups/def%61ult/keys/k",       // the resource decodes the group
            "/v1/groups/default/keys/caf\u00e9", // not sent as ASCII
            "/v1/groups/default/keys/a b",
            "/v1/groups/default/keys",
            "/v1/groups/default/other/k",
            "/v1/groups/default",
            "/v1/cluster/owners/k",
    })
    void pathsWhoseMeaningQuarkusRestDecidesAreNotClaimed(String path) {
        assertThat(parse(path)).isNull();
    }

    @Test
    void aPathTheRouterNormalizedIsNotClaimed() {
        assertThat(KeyGetPath.parse("/v1/groups/default/keys/x/../k", "/v1/groups/default/keys/k")).isNull();
        assertThat(KeyGetPath.parse("/v1/groups/default/keys/%2e%2e/k", "/v1/groups/default/k")).isNull();
        assertThat(KeyGetPath.parse("/v1/groups/default/keys/%e6", "/v1/groups/default/keys/%E6")).isNull();
    }
}
