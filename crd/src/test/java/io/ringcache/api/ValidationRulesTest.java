package io.ringcache.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server, not the operator, rejects a CacheCluster that cannot work, with a message that names the
 * field and the fix. These tests read the committed CRD (equal to the generated one, see CommittedCrdTest):
 * each rule sits on the schema node it checks, and says what it means.
 */
class ValidationRulesTest {

    static CustomResourceDefinitionVersion version;
    static JSONSchemaProps spec;

    @BeforeAll
    static void readCrd() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(
            Files.readString(CommittedCrdTest.REPO.resolve("crd").resolve(CommittedCrdTest.FILE_NAME)),
            CustomResourceDefinition.class);
        version = crd.getSpec().getVersions().get(0);
        spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    /** Services are named after the cluster (the longest, {@code <name>-peers}): DNS-1035, 63 characters. */
    @Test
    void theNameMustBeAbleToNameTheClustersServices() {
        Map<String, String> rootRules = rules(version.getSchema().getOpenAPIV3Schema());
        assertThat(rootRules).hasSize(1);
        Map.Entry<String, String> rule = rootRules.entrySet().iterator().next();
        assertThat(rule.getKey()).contains("self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
            "size(self.metadata.name) <= 57");
        Pattern dns1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
        assertThat(dns1035.matcher("sessions-2").matches()).isTrue();
        assertThat(dns1035.matcher("2024-sessions").matches()).isFalse();
        assertThat(dns1035.matcher("web.sessions").matches()).isFalse();
        assertThat(rule.getValue()).contains("at most 57", "starting with a letter");
    }

    @Test
    void autoscalingNeedsMinReplicasNotAboveMaxReplicas() {
        assertThat(rules(spec, "autoscaling")).containsExactly(entry("self.minReplicas <= self.maxReplicas",
            "autoscaling.minReplicas must not be greater than autoscaling.maxReplicas"));
    }

    @Test
    void cpuAutoscalingNeedsACpuRequest() {
        assertThat(rules(spec).entrySet()).filteredOn(rule -> rule.getKey().contains("'cpu'")).singleElement()
            .satisfies(rule -> {
                assertThat(rule.getKey()).contains("self.autoscaling.enabled", "'cpu' in self.resources.requests",
                    "'cpu' in self.resources.limits");
                assertThat(rule.getValue()).contains("set spec.resources.requests.cpu", "or a CPU limit",
                    "turn autoscaling off");
            });
    }

    /** The HPA measures memory utilization against the memory request; without one it never scales. */
    @Test
    void memoryAutoscalingNeedsAMemoryRequest() {
        assertThat(rules(spec).entrySet()).filteredOn(rule -> rule.getKey().contains("'memory'")).singleElement()
            .satisfies(rule -> {
                assertThat(rule.getKey()).contains("has(self.autoscaling.targetMemoryUtilizationPercentage)",
                    "'memory' in self.resources.requests", "'memory' in self.resources.limits");
                assertThat(rule.getValue()).contains("set spec.resources.requests.memory", "or a memory limit",
                    "remove autoscaling.targetMemoryUtilizationPercentage", "turn autoscaling off");
            });
        assertThat(rules(spec)).as("one rule per autoscaling metric").hasSize(2);
    }

    /** Only a JVM image reads JAVA_OPTS; {@code kubectl explain} must say so where the field is set. */
    @Test
    void jvmOptionsSayThatOnlyAJvmImageReadsThem() {
        assertThat(node(spec, "jvmOptions").getDescription())
            .contains("JAVA_OPTS", "Only a JVM node image", "replace its default", "native image ignores them");
    }

    @Test
    void groupNamesAreUniqueAndTheirMemoryFitsTheCacheMemory() {
        Map<String, String> cache = rules(spec, "cache");
        assertThat(cache).containsEntry(
            "!has(self.groups) || self.groups.all(g, self.groups.exists_one(h, h.name == g.name))",
            "group names must be unique: two entries of cache.groups have the same name");
        assertThat(cache).containsEntry(
            "!has(self.groups) || self.groups.map(g, quantity(g.memory).asInteger()).sum()"
                + " <= quantity(self.memory).asInteger()",
            "the groups' memory adds up to more than cache.memory: lower a group's memory or raise cache.memory");
        assertThat(cache).hasSize(2);
    }

    /**
     * A size the node cannot use ({@code 0}, {@code -1Gi}, {@code 100m}: a tenth of a byte) passes
     * {@code isQuantity}; the node refuses a budget that is not a positive number of bytes and would never start.
     */
    @Test
    void memoryIsAPositiveWholeNumberOfBytes() {
        String positiveWholeBytes = "isQuantity(self) && quantity(self).isInteger() && quantity(self).asInteger() > 0";
        assertThat(rules(spec, "cache", "memory")).containsExactly(entry(positiveWholeBytes,
            "cache.memory must be a whole number of bytes above zero, a quantity such as 512Mi or 2Gi"));
        JSONSchemaProps group = node(spec, "cache", "groups").getItems().getSchema();
        assertThat(rules(group, "memory")).containsExactly(entry(positiveWholeBytes,
            "a group's memory must be a whole number of bytes above zero, a quantity such as 64Mi or 1Gi"));
    }

    /** The node refuses a zero TTL, so a pattern that let one through would roll pods that never start. */
    @Test
    void durationsAreANumberAboveZeroWithAUnit() {
        JSONSchemaProps group = node(spec, "cache", "groups").getItems().getSchema();
        for (JSONSchemaProps duration : List.of(node(spec, "cache", "hotKeys", "ttl"), node(group, "ttl"))) {
            Pattern pattern = Pattern.compile(duration.getPattern());
            assertThat(List.of("500ms", "5s", "30m", "2h", "1d", "010s"))
                .allMatch(text -> pattern.matcher(text).find());
            assertThat(List.of("0s", "00ms", "0d", "5", "-5s", "5 s", "1w", "PT5S"))
                .noneMatch(text -> pattern.matcher(text).find());
        }
    }

    /** The node expands {@code ${...}} in its configuration: an origin written with {@code ${key}} reads as none. */
    @Test
    void originHoldsNoConfigurationExpression() {
        JSONSchemaProps group = node(spec, "cache", "groups").getItems().getSchema();
        assertThat(rules(group, "origin")).contains(entry("!self.contains('${')",
            "origin must not contain '${': the node's configuration expands ${...}; write the placeholder as {key}"));
        assertThat(Pattern.compile(node(group, "origin").getPattern()).matcher("http://catalog/${key}").find())
            .as("the pattern alone lets it through").isTrue();
    }

    /**
     * A client's key must not choose the machine the nodes fetch from. The rule is read from the CRD and its two
     * {@code matches} run as CEL runs them: found anywhere in the text unless anchored (RE2 and Java agree on these).
     */
    @Test
    void originHasItsKeyInThePathOrQueryOnly() {
        JSONSchemaProps group = node(spec, "cache", "groups").getItems().getSchema();
        Map.Entry<String, String> rule = rules(group, "origin").entrySet().stream()
            .filter(r -> r.getKey().contains("matches")).findFirst().orElseThrow();
        assertThat(rule.getValue()).startsWith("origin must have {key} in its path or query, never in its host");
        Matcher matches = Pattern.compile("(!?)self\\.matches\\('([^']*)'\\)").matcher(rule.getKey());
        List<Map.Entry<Boolean, Pattern>> terms = new ArrayList<>();
        while (matches.find()) {
            terms.add(Map.entry(matches.group(1).isEmpty(), Pattern.compile(matches.group(2))));
        }
        assertThat(terms).hasSize(2);
        assertThat(rule.getKey()).isEqualTo("self.matches('" + terms.get(0).getValue().pattern() + "') && "
            + "!self.matches('" + terms.get(1).getValue().pattern() + "')");
        Predicate<String> passes = origin -> terms.stream()
            .allMatch(term -> term.getValue().matcher(origin).find() == term.getKey());
        assertThat(List.of("http://catalog:8080/items/{key}", "https://catalog/items?id={key}&v=2",
                "http://catalog/{key}#top", "http://reader:secret@catalog/{key}", "http://10.0.0.7/a/{key}/b"))
            .allMatch(passes);
        assertThat(List.of("http://{key}.catalog/items", "http://catalog:{key}/items", "http://u:{key}@catalog/items",
                "http://catalog/items#{key}", "http://catalog/{key}#{key}", "http://{key}/{key}", "http://catalog",
                "http:///{key}"))
            .noneMatch(passes);
    }

    @Test
    void nodePortsAreWithinTheNodePortRangeDistinctAndOnlyForNodePortServices() {
        assertThat(rules(spec, "service", "httpNodePort")).containsExactly(entry("self >= 30000 && self <= 32767",
            "httpNodePort must be within the node port range 30000-32767"));
        assertThat(rules(spec, "service", "respNodePort")).containsExactly(entry("self >= 30000 && self <= 32767",
            "respNodePort must be within the node port range 30000-32767"));
        assertThat(rules(spec, "service")).containsOnlyKeys(
            "self.type != 'ClusterIP' || (!has(self.httpNodePort) && !has(self.respNodePort))",
            "!has(self.httpNodePort) || !has(self.respNodePort) || self.httpNodePort != self.respNodePort");
    }

    /**
     * CEL rules over lists and strings are admitted only when the API server can bound their cost, so every
     * list and string a rule walks has a maximum size.
     */
    @Test
    void everythingARuleIteratesIsBounded() {
        assertThat(node(spec, "cache", "groups").getMaxItems()).isNotNull();
        assertThat(node(spec, "cache", "memory").getMaxLength()).isNotNull();
        JSONSchemaProps group = node(spec, "cache", "groups").getItems().getSchema();
        assertThat(node(group, "name").getMaxLength()).isNotNull();
        assertThat(node(group, "memory").getMaxLength()).isNotNull();
    }

    /**
     * The operator reads these numbers as Java ints, but an integer schema lets the API server store any 64-bit
     * number: a CacheCluster holding a larger one could not be read, and one CacheCluster the operator cannot read
     * fails the list and watch of its informer, so no CacheCluster would be reconciled any more. Each has a maximum
     * (or, the node ports, a rule holding it to a range).
     */
    @Test
    void everyWholeNumberOfTheModelFitsAJavaInt() {
        assertIntsBounded(CacheClusterSpec.class, spec, "spec");
    }

    private static void assertIntsBounded(Class<?> type, JSONSchemaProps node, String path) {
        for (Field field : type.getDeclaredFields()) {
            JSONSchemaProps property = node.getProperties().get(field.getName());
            if (Modifier.isStatic(field.getModifiers()) || property == null) {
                continue;
            }
            String fieldPath = path + "." + field.getName();
            if (field.getType() == Integer.class) {
                assertThat(property.getMaximum() != null && property.getMaximum() <= Integer.MAX_VALUE
                    || property.getXKubernetesValidations() != null && !property.getXKubernetesValidations().isEmpty())
                    .as("%s has a maximum a Java int holds", fieldPath).isTrue();
            } else if (field.getType().getPackage() == CacheClusterSpec.class.getPackage()
                && !field.getType().isEnum()) {
                assertIntsBounded(field.getType(), property, fieldPath);
            }
        }
    }

    @Test
    void defaultsComeFromTheSchema() {
        assertThat(node(spec, "replicas").getDefault().asInt()).isEqualTo(3);
        assertThat(node(spec, "replicas").getMinimum()).isZero();
        assertThat(node(spec, "cache", "memory").getDefault().asText()).isEqualTo("256Mi");
        assertThat(node(spec, "cache", "backups").getMaximum()).isEqualTo(2);
        assertThat(node(spec, "service", "type").getDefault().asText()).isEqualTo("NodePort");
        assertThat(node(spec, "disruptionBudget", "maxUnavailable").getDefault().asInt()).isEqualTo(1);
        assertThat(node(spec, "networkPolicy", "enabled").getDefault().asBoolean()).isTrue();
        assertThat(node(spec, "cache", "groups").getItems().getSchema().getProperties().get("eviction").getEnum())
            .extracting(value -> value.asText()).containsExactlyInAnyOrder("tinylfu", "lru", "lfu", "fifo", "lru2");
        // Objects default to {} so that the defaults of their fields apply to a spec that leaves them out.
        assertThat(node(spec, "cache").getDefault()).isNotNull();
        assertThat(node(spec, "autoscaling").getDefault()).isNotNull();
        assertThat(node(spec, "networkPolicy").getDefault()).isNotNull();
    }

    @Test
    void scaleSubresourceAndPrinterColumnsServeKubectlAndTheAutoscaler() {
        assertThat(version.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(version.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(version.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getAdditionalPrinterColumns())
            .extracting(column -> column.getName() + "=" + column.getJsonPath())
            .containsExactlyInAnyOrder(
                "Replicas=.spec.replicas",
                "Ready=.status.readyReplicas",
                "HTTP-Port=.status.nodePorts.http",
                "Status=.status.conditions[?(@.type==\"Ready\")].status",
                "Age=.metadata.creationTimestamp");
    }

    private static JSONSchemaProps node(JSONSchemaProps root, String... path) {
        JSONSchemaProps node = root;
        for (String property : path) {
            node = node.getProperties().get(property);
            assertThat(node).as("schema property %s", String.join(".", path)).isNotNull();
        }
        return node;
    }

    /** The rules on the node at {@code path}, rule to message, in schema order. */
    private static Map<String, String> rules(JSONSchemaProps root, String... path) {
        List<ValidationRule> rules = node(root, path).getXKubernetesValidations();
        Map<String, String> byRule = new LinkedHashMap<>();
        if (rules != null) {
            rules.forEach(rule -> byRule.put(rule.getRule(), rule.getMessage()));
        }
        return byRule;
    }
}
