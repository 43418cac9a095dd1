package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader-election Role grants every verb the operator's lease lock (Fabric8's {@link LeaseLock}, which the operator
 * SDK elects with) uses: the verbs are read from the requests it makes, not assumed.
 */
class LeaderElectionLeaseRightsTest {

    static final String NAMESPACE = "ringcache-system";
    static final String VERBS_SETTING =
        "quarkus.kubernetes.rbac.roles.ringcache-operator-leader-election.policy-rules.leases.verbs";
    /** How the API server names the verb of a request on one object. */
    static final Map<String, String> VERB_OF_METHOD =
        Map.of("GET", "get", "POST", "create", "PUT", "update", "PATCH", "patch", "DELETE", "delete");

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
            new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    /** What a replica does: find no Lease and create it, then renew it, as the leader does every few seconds. */
    @Test
    void leaseRoleGrantsWhatAcquiringAndRenewingTheLeaseUses() throws Exception {
        LeaseLock lock = new LeaseLock(NAMESPACE, LeaderElection.LEASE_NAME, "operator-0");
        ZonedDateTime acquired = ZonedDateTime.now();
        assertThat(lock.get(client)).isNull();
        lock.create(client, new LeaderElectionRecord("operator-0", Duration.ofSeconds(15), acquired, acquired, 0));
        assertThat(lock.get(client)).isNotNull();
        lock.update(client, new LeaderElectionRecord("operator-0", Duration.ofSeconds(15), acquired,
            acquired.plusSeconds(2), 0));

        assertThat(grantedVerbs()).containsAll(usedVerbs());
    }

    private Set<String> usedVerbs() throws InterruptedException {
        Set<String> verbs = new TreeSet<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            assertThat(request.getPath()).contains("/leases");
            verbs.add(VERB_OF_METHOD.get(request.getMethod()));
        }
        assertThat(verbs).as("the requests the lock made").isNotEmpty();
        return verbs;
    }

    private static Set<String> grantedVerbs() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = LeaderElectionLeaseRightsTest.class.getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        return new TreeSet<>(Arrays.asList(settings.getProperty(VERBS_SETTING).split(",")));
    }
}
