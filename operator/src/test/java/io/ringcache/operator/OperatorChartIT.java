package io.ringcache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart users install. {@code charts/ringcache-operator} is exactly what the operator build generates
 * (quarkus-helm over the manifests quarkus-kubernetes and the operator SDK generate, see application.properties);
 * real Helm lints it strictly and renders the objects the operator needs, configured by the chart's values.
 * An integration test because the chart is generated while packaging, after the unit tests ran.
 */
class OperatorChartIT {

    static final Path REPO = Path.of(System.getProperty("ringcache.repo.dir", ".."));
    static final Path COMMITTED = REPO.resolve("charts/ringcache-operator");
    static final Path GENERATED = Path.of("target/helm/kubernetes/ringcache-operator");
    static final String RELEASE = "cache-operator";
    static final String NAMESPACE = "ringcache-system";
    /** The oldest Kubernetes the chart supports (its kubeVersion). */
    static final String KUBE_VERSION = "1.30.0";
    static final String OPERATOR_CONTAINER = "ringcache-operator";

    @Test
    void committedChartIsTheGeneratedOne() throws IOException {
        assertThat(files(COMMITTED)).as("files of %s", COMMITTED).isEqualTo(files(GENERATED));
        for (Path file : files(GENERATED)) {
            assertThat(Files.readString(COMMITTED.resolve(file)))
                .as("%s is stale: copy operator/%s over charts/ringcache-operator", file, GENERATED)
                .isEqualTo(Files.readString(GENERATED.resolve(file)));
        }
    }

    @Test
    void strictLintFindsNothingToComplainAbout() {
        LintResult lint = new Helm(COMMITTED).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    /** Helm installs {@code crds/} before the templates and never upgrades or deletes it. */
    @Test
    void crdsHoldTheCacheClusterDefinitionWithItsScaleSubresource() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(
            Files.readString(COMMITTED.resolve("crds/cacheclusters.ringcache.io-v1.yml")), CustomResourceDefinition.class);
        assertThat(crd.getMetadata().getName()).isEqualTo("cacheclusters.ringcache.io");
        assertThat(crd.getSpec().getVersions()).singleElement()
            .satisfies(version -> assertThat(version.getSubresources().getScale().getSpecReplicasPath())
                .isEqualTo(".spec.replicas"));
    }

    @Test
    void rendersTheOperatorRbacAndItsDeploymentAndNoServiceMonitorByDefault() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(objects).extracting(object -> object.getKind() + "/" + object.getMetadata().getName())
            .containsExactlyInAnyOrder(
                "ServiceAccount/ringcache-operator",
                "ClusterRole/cachecluster-cluster-role",
                "ClusterRoleBinding/cachecluster-cluster-role-binding",
                "Role/ringcache-operator-leader-election",
                "RoleBinding/ringcache-operator-leader-election",
                "Service/ringcache-operator",
                "Deployment/ringcache-operator");
    }

    /**
     * The generated manifests name the operator's namespace {@code RELEASE-NAMESPACE}: an object left holding it
     * would be created in (or grant to) a namespace that does not exist. The operator needs no binding beyond its
     * two roles' (in particular not the {@code view} role quarkus-kubernetes-client binds by default).
     */
    @Test
    void noPlaceholderNamespaceIsLeftAndNoBindingBeyondTheOperatorsRoles() {
        String rendered = template().call();
        assertThat(rendered).doesNotContain("RELEASE-NAMESPACE");
        assertThat(only(render(Map.of()), ServiceAccount.class).getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(render(Map.of())).filteredOn(object -> object.getKind().endsWith("Binding"))
            .extracting(object -> object.getKind() + "/" + object.getMetadata().getName())
            .containsExactlyInAnyOrder("ClusterRoleBinding/cachecluster-cluster-role-binding",
                "RoleBinding/ringcache-operator-leader-election");
    }

    @Test
    void serviceMonitorIsRenderedOnlyOnRequest() {
        List<HasMetadata> objects = render(Map.of("operator.serviceMonitor.enabled", true));
        assertThat(objects).filteredOn(object -> "ServiceMonitor".equals(object.getKind())).singleElement()
            .isInstanceOfSatisfying(GenericKubernetesResource.class, monitor -> {
                assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/q/metrics");
                // An empty selector selects every Service of the namespace, and so scrapes every pod behind one
                // that listens on 8080 as if it were the operator.
                assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
                    .isEqualTo(only(objects, Service.class).getSpec().getSelector());
            });
    }

    @Test
    void clusterRoleBindingNamesTheReleaseNamespaceForItsServiceAccount() {
        ClusterRoleBinding binding = only(render(Map.of()), ClusterRoleBinding.class);
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("ringcache-operator");
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(binding.getRoleRef().getName()).isEqualTo("cachecluster-cluster-role");
    }

    /**
     * The operator reads CacheClusters and patches their status, nothing more: it never creates, updates or deletes
     * one, and adds no finalizer. 'update' on the finalizers subresource is what the OwnerReferencesPermissionEnforcement
     * admission plugin asks of whoever sets blockOwnerDeletion in an owner reference to a CacheCluster.
     */
    @Test
    void clusterRoleOnlyReadsCacheClustersAndPatchesTheirStatus() {
        ClusterRole role = only(render(Map.of()), ClusterRole.class);
        assertThat(verbs(role, "ringcache.io", "cacheclusters")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(role, "ringcache.io", "cacheclusters/status")).containsExactly("patch");
        assertThat(verbs(role, "ringcache.io", "cacheclusters/finalizers")).containsExactly("update");
    }

    @Test
    void clusterRoleHoldsWhatTheOperatorGrantsTheNodesAndNoRightToGrantMore() {
        ClusterRole role = only(render(Map.of()), ClusterRole.class);
        // Kubernetes lets the operator create and bind the nodes' Role only if it holds every permission of that Role.
        assertThat(verbs(role, "discovery.k8s.io", "endpointslices")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getVerbs).doesNotContain("*", "escalate", "bind",
            "impersonate");
        assertThat(role.getRules()).flatExtracting(PolicyRule::getResources).doesNotContain("*");
        assertThat(role.getRules()).allSatisfy(rule -> assertThat(rule.getResourceNames()).isNullOrEmpty());
    }

    /**
     * The ClusterRole is written by hand (application.properties), so it is checked against the reconciler's
     * workflow: every dependent's kind can be watched, created and patched (server-side apply), and deleted when
     * a precondition switches the dependent off; and the role grants nothing on any other kind.
     */
    @Test
    void clusterRoleCoversEveryDependentOfTheWorkflowAndNothingElse() {
        ClusterRole role = only(render(Map.of()), ClusterRole.class);
        Set<String> expected = new TreeSet<>(List.of("ringcache.io/cacheclusters", "ringcache.io/cacheclusters/status",
            "ringcache.io/cacheclusters/finalizers", "discovery.k8s.io/endpointslices"));
        for (Dependent dependent : CacheClusterReconciler.class.getAnnotation(Workflow.class).dependents()) {
            Class<? extends HasMetadata> kind = kindOf(dependent.type());
            String group = HasMetadata.getGroup(kind);
            String plural = HasMetadata.getPlural(kind);
            expected.add(group + "/" + plural);
            List<String> verbs = verbs(role, group, plural);
            assertThat(verbs).as("verbs on %s (dependent %s)", plural, dependent.name())
                .contains("get", "list", "watch", "create", "patch");
            if (dependent.reconcilePrecondition() != Condition.class) {
                assertThat(verbs).as("verbs on %s (dependent %s, deleted when its precondition is not met)", plural,
                    dependent.name()).contains("delete");
            }
        }
        Set<String> granted = role.getRules().stream()
            .flatMap(rule -> rule.getApiGroups().stream()
                .flatMap(group -> rule.getResources().stream().map(resource -> group + "/" + resource)))
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(granted).isEqualTo(expected);
    }

    /**
     * Leader election holds one Lease in the operator's namespace: a Role there, not a cluster-wide right to every
     * Lease. The operator SDK checks, before it elects, for one rule holding get, create and update on leases; the
     * lease lock writes the Lease with a patch ({@link LeaderElectionLeaseRightsTest}).
     */
    @Test
    void leaderElectionLeaseIsGrantedByARoleInTheReleaseNamespaceOnly() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(verbs(only(objects, ClusterRole.class), "coordination.k8s.io", "leases")).isEmpty();
        Role role = only(objects, Role.class);
        assertThat(role.getMetadata().getNamespace()).as("Helm puts it in the release namespace").isNull();
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
        });
        RoleBinding binding = only(objects, RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("ringcache-operator");
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
    }

    @Test
    void deploymentRunsTheOperatorRestrictedAndWatchingAllNamespacesWithLeaderElection() {
        Deployment deployment = only(render(Map.of()), Deployment.class);
        Container operator = operatorContainer(deployment);
        assertThat(operator.getImage()).isEqualTo("docker.io/ringcache/operator:" + version());
        assertThat(env(operator)).containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_CACHECLUSTER_NAMESPACES",
                "JOSDK_ALL_NAMESPACES")
            .containsEntry("RINGCACHE_OPERATOR_LEADER_ELECTION", "true")
            .containsEntry("RINGCACHE_OPERATOR_NODE_IMAGE", "ringcache/node:" + version());
        assertThat(operator.getResources().getRequests()).containsEntry("cpu", new Quantity("100m"));
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getSeccompProfile().getType())
            .isEqualTo("RuntimeDefault");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    }

    @Test
    void valuesSetTheImagesTheWatchedNamespacesTheResourcesAndLeaderElection(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
            operator:
              image: registry.example/ringcache/operator:1.2.3
              nodeImage: registry.example/ringcache/node:1.2.3
              watchNamespaces: shop,staging
              replicas: 2
              leaderElection:
                enabled: false
              resources:
                requests:
                  cpu: 250m
                  memory: 300Mi
                limits:
                  memory: 600Mi
            """);
        Deployment deployment = only(render(template().withValuesFile(values)), Deployment.class);
        Container operator = operatorContainer(deployment);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(operator.getImage()).isEqualTo("registry.example/ringcache/operator:1.2.3");
        assertThat(env(operator))
            .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_CACHECLUSTER_NAMESPACES", "shop,staging")
            .containsEntry("RINGCACHE_OPERATOR_LEADER_ELECTION", "false")
            .containsEntry("RINGCACHE_OPERATOR_NODE_IMAGE", "registry.example/ringcache/node:1.2.3");
        assertThat(operator.getResources().getRequests())
            .containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("300Mi"));
        assertThat(operator.getResources().getLimits()).containsEntry("memory", new Quantity("600Mi"));
    }

    /** The API server rejects a Deployment whose env value is a YAML boolean or number; typed parsing would hide it. */
    @Test
    void everyEnvValueRendersAsAString() throws IOException {
        String deployment = Arrays.stream(documents(template().call()))
            .filter(document -> document.contains("kind: Deployment"))
            .findFirst().orElseThrow();
        Map<?, ?> raw = new ObjectMapper(new YAMLFactory()).readValue(deployment, Map.class);
        List<?> containers = (List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) raw.get("spec")).get("template"))
            .get("spec")).get("containers");
        List<?> env = (List<?>) ((Map<?, ?>) containers.get(0)).get("env");
        assertThat(env).isNotEmpty()
            .filteredOn(variable -> ((Map<?, ?>) variable).containsKey("value"))
            .allSatisfy(variable -> assertThat(((Map<?, ?>) variable).get("value")).as("value of %s", variable)
                .isInstanceOf(String.class));
    }

    private static TemplateCommand template() {
        return new Helm(COMMITTED).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    }

    private static List<HasMetadata> render(Map<String, Object> values) {
        TemplateCommand template = template();
        values.forEach(template::set);
        return render(template);
    }

    private static List<HasMetadata> render(TemplateCommand template) {
        return Arrays.stream(documents(template.call()))
            .map(document -> (HasMetadata) Serialization.unmarshal(document))
            .toList();
    }

    /** The non-empty YAML documents of Helm's output. */
    private static String[] documents(String output) {
        return Arrays.stream(output.split("(?m)^---\\s*$"))
            .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
            .toArray(String[]::new);
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("rendered %s objects", type.getSimpleName()).hasSize(1);
        return matching.get(0);
    }

    private static Container operatorContainer(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(container -> OPERATOR_CONTAINER.equals(container.getName()))
            .findFirst().orElseThrow();
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(variable -> variable.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /**
     * The kind a dependent manages: the first type argument of its superclass, {@code
     * CRUDKubernetesDependentResource<R, CacheCluster>}. Read from the class, since constructing some dependents
     * needs the operator's configuration.
     */
    @SuppressWarnings("unchecked")
    private static Class<? extends HasMetadata> kindOf(Class<?> dependent) {
        assertThat(dependent.getSuperclass()).as("superclass of %s", dependent)
            .isEqualTo(CRUDKubernetesDependentResource.class);
        Type kind = ((ParameterizedType) dependent.getGenericSuperclass()).getActualTypeArguments()[0];
        return (Class<? extends HasMetadata>) kind;
    }

    /** Every verb {@code role} grants on {@code resource} of {@code apiGroup}, over all its rules. */
    private static List<String> verbs(ClusterRole role, String apiGroup, String resource) {
        return role.getRules().stream()
            .filter(rule -> rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource))
            .map(PolicyRule::getVerbs)
            .flatMap(List::stream)
            .toList();
    }

    private static String version() {
        return System.getProperty("ringcache.version");
    }

    /** Regular files under {@code root}, relative to it, sorted. */
    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
