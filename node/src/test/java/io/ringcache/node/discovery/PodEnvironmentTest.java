package io.ringcache.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodEnvironmentTest {

    @TempDir
    Path serviceAccount;

    /** A service account token as Kubernetes mounts it: a JWT whose subject names the account. */
    static String token(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"https://kubernetes.default.svc\",\"sub\":\"" + subject + "\"}")
                        .getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private PodEnvironment env(Map<String, String> variables) {
        return new PodEnvironment(variables::get, serviceAccount);
    }

    @Test
    void thePodsIpsArePodIpsPrimaryFirstElsePodIpAlone() {
        assertThat(env(Map.of("POD_IP", "fd00::1", "POD_IPS", "fd00::1, 10.1.2.3")).podIps())
                .containsExactly("fd00::1", "10.1.2.3");
        assertThat(env(Map.of("POD_IPS", "10.1.2.3")).podIps()).containsExactly("10.1.2.3");
        assertThat(env(Map.of("POD_IP", "10.1.2.3")).podIps()).containsExactly("10.1.2.3");
        assertThat(env(Map.of("POD_IP", "10.1.2.3", "POD_IPS", " ")).podIps()).containsExactly("10.1.2.3");
        assertThatThrownBy(() -> env(Map.of()).podIps()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IP: is not set");
    }

    @Test
    void podIpsMustListOnlyAddresses() {
        assertThatThrownBy(() -> env(Map.of("POD_IP", "10.1.2.3", "POD_IPS", "10.1.2.3,node-1.example")).podIps())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IPS: '10.1.2.3,node-1.example' is not a comma-separated list of IP "
                        + "addresses ('node-1.example' is not one)")
                .hasMessageContaining("status.podIPs");
        assertThatThrownBy(() -> env(Map.of("POD_IPS", "10.1.2.3,")).podIps()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IPS: '10.1.2.3,' is not a comma-separated list of IP addresses ('' is not one)");
        assertThatThrownBy(() -> env(Map.of("POD_IPS", "10.1.2.3 fd00::1")).podIps()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IPS:");
    }

    @Test
    void anAddressWithAPortOrThatIsNoAddressAtAllIsNotAPodIp() {
        // Each of these once passed as an IPv6 address (it has a colon): the node then read only IPv6 slices, never
        // found itself, and served an empty ring instead of refusing to start.
        for (String notAnIp : List.of("10.1.2.3:7100", ":", "fd00::1::2", "999.1.2.3", "fd00::1%eth0")) {
            assertThatThrownBy(() -> env(Map.of("POD_IP", notAnIp)).podIp()).as(notAnIp)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("POD_IP: '" + notAnIp + "' is not an IP address");
        }
        assertThat(env(Map.of("POD_IPS", "10.1.2.3,2001:db8::a01:203")).podIps())
                .containsExactly("10.1.2.3", "2001:db8::a01:203");
    }

    @Test
    void aPodHasAServiceAccountTokenAndAnAnnouncedApiServer() throws IOException {
        assertThat(env(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")).inPod()).isFalse();
        Files.writeString(serviceAccount.resolve("token"), token("system:serviceaccount:cache:demo-node"));
        assertThat(env(Map.of()).inPod()).isFalse();
        assertThat(env(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")).inPod()).isTrue();
    }

    @Test
    void theServiceAccountIsTheTokensSubject() throws IOException {
        assertThat(env(Map.of()).serviceAccount()).isEmpty();
        Files.writeString(serviceAccount.resolve("token"), token("system:serviceaccount:cache:demo-node") + "\n");
        assertThat(env(Map.of()).serviceAccount()).contains("system:serviceaccount:cache:demo-node");
        assertThat(PodEnvironment.subjectOf("not a token")).isEmpty();
        assertThat(PodEnvironment.subjectOf("a.!!!.c")).isEmpty();
    }

    @Test
    void thePodIpMustBeSetAndBeAnAddress() {
        assertThat(env(Map.of("POD_IP", "10.1.2.3")).podIp()).isEqualTo("10.1.2.3");
        assertThat(env(Map.of("POD_IP", " fd00::1 ")).podIp()).isEqualTo("fd00::1");
        assertThatThrownBy(() -> env(Map.of()).podIp()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IP: is not set").hasMessageContaining("status.podIP");
        assertThatThrownBy(() -> env(Map.of("POD_IP", "node-1.example")).podIp()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_IP: 'node-1.example' is not an IP address");
    }

    @Test
    void theNamespaceIsPodNamespaceElseTheServiceAccountsNamespaceFile() throws IOException {
        assertThatThrownBy(() -> env(Map.of()).namespace()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("POD_NAMESPACE: is not set").hasMessageContaining("metadata.namespace");
        Files.writeString(serviceAccount.resolve("namespace"), "from-file\n");
        assertThat(env(Map.of()).namespace()).isEqualTo("from-file");
        assertThat(env(Map.of("POD_NAMESPACE", "from-env")).namespace()).isEqualTo("from-env");
    }
}
