package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.ringcache.api.AutoscalingSpec;
import io.ringcache.api.CacheCluster;
import io.ringcache.api.CacheClusterSpec;
import io.ringcache.api.CacheSpec;
import io.ringcache.api.GroupSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold of a spec before any of it is applied, each problem said with the field and the fix. The CRD's
 * schema rejects most of these already, but Helm never upgrades a CRD, so a cluster may hold an older, laxer one;
 * and a spec the nodes cannot run would otherwise be half-applied (Services created, the ConfigMap refused) or
 * roll out nodes that crash-loop on their new ConfigMap.
 */
final class SpecCheck {

    /** The longest duration the node accepts (its {@code Durations.MAX}): about 292 years in nanoseconds. */
    static final Duration MAX_DURATION = Duration.ofDays(106_751);

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,18})(ms|s|m|h|d)");

    /** A quantity as the API server reads one: the grammar of Kubernetes' {@code resource.Quantity}. */
    private static final Pattern QUANTITY = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
        + "(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+))?");

    /** The placeholder of an origin URL template, replaced by the URL-encoded key. */
    private static final String KEY_PLACEHOLDER = "{key}";

    private SpecCheck() {
    }

    /**
     * The longest CacheCluster name whose derived names all fit: the peer Service is the name plus
     * {@code -peers}, and a Service name, like the instance label every owned object carries, has at most 63
     * characters.
     */
    static final int MAX_NAME_LENGTH = 63 - "-peers".length();

    /** Service names are DNS-1035 labels: a lowercase letter first, then letters, digits and dashes. */
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    /** The problems of {@code cluster}: its name's, then its spec's; empty when it can be applied. */
    static List<String> problems(CacheCluster cluster) {
        List<String> problems = new ArrayList<>();
        String name = cluster.getMetadata().getName();
        if (!DNS_1035_LABEL.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            problems.add("metadata.name: '" + name + "' cannot name the cluster's Services; use at most "
                + MAX_NAME_LENGTH + " lowercase letters, digits and '-', starting with a letter and ending with a"
                + " letter or digit");
        }
        problems.addAll(problems(cluster.getSpec()));
        return problems;
    }

    /** The problems of {@code spec}, in field order; empty when it can be applied. */
    static List<String> problems(CacheClusterSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.getReplicas() == null || spec.getReplicas() < 0) {
            problems.add("spec.replicas: " + spec.getReplicas() + " is not a number of nodes; use 0 or more");
        }
        checkQuantities(spec.getResources(), problems);
        checkClaims(spec.getResources(), problems);
        checkRequestsWithinLimits(spec.getResources(), problems);
        checkEnv(spec, problems);
        CacheSpec cache = spec.getCache();
        Optional<Long> memory = bytes("spec.cache.memory", cache.getMemory(), problems);
        checkDuration("spec.cache.hotKeys.ttl", cache.getHotKeys().getTtl(), problems);
        if (cache.getGroups() != null) {
            checkGroups(cache, memory, problems);
        }
        memory.ifPresent(cacheBytes -> problems.addAll(NodeMemory.problems(spec, cacheBytes)));
        if (Boolean.TRUE.equals(spec.getAutoscaling().getEnabled())) {
            checkAutoscaling(spec, problems);
        }
        MetadataCheck.checkAnnotations("spec.service.annotations", spec.getService().getAnnotations(), problems);
        MetadataCheck.checkAnnotations("spec.podAnnotations", spec.getPodAnnotations(), problems);
        MetadataCheck.checkLabels("spec.podLabels", spec.getPodLabels(), problems);
        return problems;
    }

    /**
     * The HPA measures utilization against the container's request of each resource it scales on; without that
     * request it reports FailedGetResourceMetric and never scales.
     */
    private static void checkAutoscaling(CacheClusterSpec spec, List<String> problems) {
        AutoscalingSpec autoscaling = spec.getAutoscaling();
        if (autoscaling.getMinReplicas() > autoscaling.getMaxReplicas()) {
            problems.add("spec.autoscaling: minReplicas " + autoscaling.getMinReplicas() + " is greater than maxReplicas "
                + autoscaling.getMaxReplicas());
        }
        if (!requests(spec, "cpu")) {
            problems.add("spec.resources.requests.cpu: autoscaling measures CPU utilization against the CPU request;"
                + " set spec.resources.requests.cpu (or a CPU limit, which then serves as the request) or turn"
                + " autoscaling off");
        }
        if (autoscaling.getTargetMemoryUtilizationPercentage() != null && !requests(spec, "memory")) {
            problems.add("spec.resources.requests.memory: autoscaling on memory measures memory utilization against the"
                + " memory request; set spec.resources.requests.memory (or a memory limit, which then serves as the"
                + " request), remove spec.autoscaling.targetMemoryUtilizationPercentage or turn autoscaling off");
        }
        ScalingBehaviorCheck.check(autoscaling.getBehavior(), problems);
    }

    /**
     * Whether the node container requests {@code resource}, as the CRD's rules read it: a request, or a limit,
     * which Kubernetes copies into the missing request when it admits the pod.
     */
    private static boolean requests(CacheClusterSpec spec, String resource) {
        ResourceRequirements resources = spec.getResources();
        return resources != null && (resources.getRequests() != null && resources.getRequests().containsKey(resource)
            || resources.getLimits() != null && resources.getLimits().containsKey(resource));
    }

    private static void checkGroups(CacheSpec cache, Optional<Long> cacheMemory, List<String> problems) {
        Set<String> names = new HashSet<>();
        long total = 0;
        boolean sized = true;
        for (int i = 0; i < cache.getGroups().size(); i++) {
            GroupSpec group = cache.getGroups().get(i);
            String field = "spec.cache.groups[" + i + "]";
            if (!names.add(group.getName())) {
                problems.add(field + ".name: '" + group.getName() + "' is the name of an earlier group; names must be unique");
            }
            Optional<Long> memory = bytes(field + ".memory", group.getMemory(), problems);
            sized &= memory.isPresent();
            long groupBytes = memory.orElse(0L);
            // Saturates rather than overflows: a sum past Long.MAX_VALUE is more than any cache.memory anyway.
            total = total > Long.MAX_VALUE - groupBytes ? Long.MAX_VALUE : total + groupBytes;
            if (group.getTtl() != null) {
                checkDuration(field + ".ttl", group.getTtl(), problems);
            }
            if (group.getOrigin() != null) {
                checkOrigin(field + ".origin", group.getOrigin(), problems);
            }
        }
        if (sized && cacheMemory.isPresent() && total > cacheMemory.get()) {
            problems.add("spec.cache.groups: the groups' memory adds up to " + total + " bytes, more than cache.memory ("
                + cacheMemory.get() + "); lower a group's memory or raise cache.memory");
        }
    }

    /**
     * A container's claim names one of its pod's resourceClaims, and the node pods have none: the API server refuses
     * the Deployment of any claim, or, where dynamic resource allocation is off, drops it without a word.
     */
    private static void checkClaims(ResourceRequirements resources, List<String> problems) {
        if (resources != null && resources.getClaims() != null && !resources.getClaims().isEmpty()) {
            problems.add("spec.resources.claims: the node pods have no resourceClaims for a claim to name; remove"
                + " spec.resources.claims");
        }
    }

    /**
     * The schema takes any string as a request or limit (the CRD generator gives quantities no pattern), but the API
     * server refuses a container whose quantity it cannot read, or a negative one. It would refuse the Deployment
     * only after the workflow wrote the rest of the edit: checked here, the edit is not applied at all.
     */
    private static void checkQuantities(ResourceRequirements resources, List<String> problems) {
        if (resources == null) {
            return;
        }
        checkQuantities("spec.resources.requests.", resources.getRequests(), problems);
        checkQuantities("spec.resources.limits.", resources.getLimits(), problems);
    }

    private static void checkQuantities(String field, Map<String, Quantity> quantities, List<String> problems) {
        if (quantities == null) {
            return;
        }
        new TreeMap<>(quantities).forEach((resource, quantity) -> {
            String text = String.valueOf(quantity);
            if (!isQuantity(quantity)) {
                problems.add(field + resource + ": '" + text + "' is not a Kubernetes quantity; write e.g. 512Mi, 2Gi,"
                    + " 500m or 1.5");
            } else if (amount(quantity).signum() < 0) {
                problems.add(field + resource + ": '" + text + "' is negative; use 0 or more");
            }
        });
    }

    /**
     * The API server refuses a container that requests more of a resource than its limit. It would refuse the
     * Deployment only after the workflow wrote the rest of the edit (the ConfigMap, the HPA, ...): checked here,
     * the edit is not applied at all.
     */
    private static void checkRequestsWithinLimits(ResourceRequirements resources, List<String> problems) {
        if (resources == null || resources.getRequests() == null || resources.getLimits() == null) {
            return;
        }
        resources.getRequests().forEach((resource, request) -> {
            Quantity limit = resources.getLimits().get(resource);
            // One that cannot be read is named by checkQuantities; comparing it would only add a false problem.
            if (limit != null && isQuantity(request) && isQuantity(limit)
                && amount(request).compareTo(amount(limit)) > 0) {
                problems.add("spec.resources.requests." + resource + ": " + request + " is more than the limit, "
                    + limit + "; Kubernetes refuses such a container: lower the request or raise the limit");
            }
        });
    }

    private static boolean isQuantity(Quantity quantity) {
        return QUANTITY.matcher(String.valueOf(quantity)).matches();
    }

    /** A quantity's value; one that does not parse counts as zero, {@link #checkQuantities} names it. */
    private static BigDecimal amount(Quantity quantity) {
        try {
            return quantity.getNumericalAmount();
        } catch (RuntimeException e) {
            return BigDecimal.ZERO;
        }
    }

    /** The operator sets these variables itself; a second entry would be refused by server-side apply. */
    private static void checkEnv(CacheClusterSpec spec, List<String> problems) {
        if (spec.getEnv() == null) {
            return;
        }
        Set<String> reserved = new HashSet<>(NodeDeploymentDependent.OPERATOR_ENV);
        boolean jvmOptions = spec.getJvmOptions() != null && !spec.getJvmOptions().isEmpty();
        Set<String> names = new HashSet<>();
        for (EnvVar variable : spec.getEnv()) {
            String name = variable.getName();
            if (reserved.contains(name)) {
                problems.add("spec.env: " + name + " is set by the operator; remove it");
            } else if (jvmOptions && NodeDeploymentDependent.JAVA_OPTS.equals(name)) {
                problems.add("spec.env: JAVA_OPTS is made from spec.jvmOptions; set one of the two");
            } else if (!names.add(name)) {
                problems.add("spec.env: " + name + " is given twice; keep one");
            }
        }
    }

    /** The bytes of a quantity that is a positive whole number of bytes, else empty with a problem added. */
    private static Optional<Long> bytes(String field, String quantity, List<String> problems) {
        String wrong = field + ": '" + quantity + "' ";
        String example = "use a quantity such as 512Mi or 2Gi";
        BigDecimal bytes;
        try {
            bytes = Quantity.getAmountInBytes(new Quantity(quantity));
        } catch (RuntimeException e) {
            problems.add(wrong + "is not a quantity; " + example);
            return Optional.empty();
        }
        if (bytes.signum() <= 0) {
            problems.add(wrong + "is not more than zero; " + example);
        } else if (bytes.stripTrailingZeros().scale() > 0) {
            problems.add(wrong + "is not a whole number of bytes; " + example);
        } else if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            problems.add(wrong + "is too large; " + example);
        } else {
            return Optional.of(bytes.longValueExact());
        }
        return Optional.empty();
    }

    /**
     * What the node accepts as an origin (its {@code HttpOriginLoader.checkTemplate}): an absolute http(s) URL once
     * the placeholder is replaced, with a port from 1 to 65535 if it names one. And no "${": the node reads its
     * configuration through SmallRye Config, which expands {@code ${name}}, and a template written as
     * {@code http://catalog/${key}} names no setting, which stops the node at start-up.
     */
    private static void checkOrigin(String field, String origin, List<String> problems) {
        String wrong = field + ": '" + origin + "' ";
        String example = "write e.g. http://catalog:8080/products/" + KEY_PLACEHOLDER;
        if (origin.contains("${")) {
            problems.add(wrong + "contains '${', which the node's configuration expands; write the placeholder as "
                + KEY_PLACEHOLDER);
            return;
        }
        if (!origin.contains(KEY_PLACEHOLDER)) {
            problems.add(wrong + "has no " + KEY_PLACEHOLDER + " placeholder; " + example);
            return;
        }
        URI uri;
        try {
            // Trimmed, as the node reads it.
            uri = new URI(origin.trim().replace(KEY_PLACEHOLDER, "k"));
        } catch (URISyntaxException e) {
            problems.add(wrong + "is not a URL (" + e.getReason() + "); " + example);
            return;
        }
        if (placeholderOutsidePathAndQuery(origin.trim())) {
            // As the node refuses it: in the host a client's key would pick the machine the nodes fetch from.
            problems.add(wrong + "has " + KEY_PLACEHOLDER + " outside its path and query; " + example);
        } else if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            problems.add(wrong + "is not an absolute http or https URL; " + example);
        } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
            // URI takes any number as a port; the node refuses it rather than fail every load.
            problems.add(wrong + "has port " + uri.getPort() + "; use a port from 1 to 65535");
        }
    }

    /**
     * Whether the placeholder stands in the origin's scheme or authority (before the first {@code /}, {@code ?} or
     * {@code #} after {@code //}) or in its fragment, read from the text as the node reads it.
     */
    private static boolean placeholderOutsidePathAndQuery(String origin) {
        int authority = origin.indexOf("//");
        int authorityEnd = authority < 0 ? 0 : authority + 2;
        while (authorityEnd < origin.length() && "/?#".indexOf(origin.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        int fragment = origin.indexOf('#');
        return origin.substring(0, authorityEnd).contains(KEY_PLACEHOLDER)
            || (fragment >= 0 && origin.substring(fragment).contains(KEY_PLACEHOLDER));
    }

    private static void checkDuration(String field, String text, List<String> problems) {
        Matcher m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches()) {
            problems.add(field + ": '" + text + "' is not a duration; use a number with a unit: 500ms, 30s, 5m, 2h, 1d");
            return;
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            problems.add(field + ": '" + text + "' must be longer than zero");
        } else if (amount > MAX_DURATION.dividedBy(unit(m.group(2)))) {
            problems.add(field + ": '" + text + "' is too long; use at most " + MAX_DURATION.toDays() + "d");
        }
    }

    private static Duration unit(String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
    }
}
