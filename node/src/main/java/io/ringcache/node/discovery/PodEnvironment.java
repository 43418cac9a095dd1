package io.ringcache.node.discovery;

import io.netty.util.NetUtil;
import io.ringcache.node.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node learns about its pod: its IPs and namespace from the downward API ({@code POD_IPS} or
 * {@code POD_IP}, {@code POD_NAMESPACE}), and from the mounted service account whether it runs in a pod at all, its namespace
 * when {@code POD_NAMESPACE} is missing, and its service account's name (for error messages).
 */
public final class PodEnvironment {

    /** Where Kubernetes mounts a pod's service account token, CA and namespace. */
    public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    static final String POD_IP = "POD_IP";
    static final String POD_IPS = "POD_IPS";
    static final String POD_NAMESPACE = "POD_NAMESPACE";
    static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

    /** The characters of an IPv6 address as the downward API gives it: no brackets, no zone, which no member id carries. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");

    private final Function<String, String> env;
    private final Path serviceAccountDir;

    /**
     * @param env the value of an environment variable, or null when unset
     * @param serviceAccountDir where the service account is mounted (it may not exist)
     */
    public PodEnvironment(Function<String, String> env, Path serviceAccountDir) {
        this.env = Objects.requireNonNull(env, "env");
        this.serviceAccountDir = Objects.requireNonNull(serviceAccountDir, "serviceAccountDir");
    }

    /** This process's environment and the standard service account mount. */
    public static PodEnvironment system() {
        return new PodEnvironment(System::getenv, SERVICE_ACCOUNT_DIR);
    }

    /** Whether this process runs in a Kubernetes pod: a service account token is mounted and the API server is announced. */
    public boolean inPod() {
        return Files.isRegularFile(serviceAccountDir.resolve("token")) && variable(KUBERNETES_SERVICE_HOST).isPresent();
    }

    /**
     * This pod's IP address ({@code POD_IP}).
     *
     * @throws ConfigException naming {@code POD_IP} when it is unset or not an IP address (a host name would
     *     need DNS, which discovery never uses)
     */
    public String podIp() {
        String ip = variable(POD_IP).orElseThrow(() -> new ConfigException(POD_IP, "is not set; Kubernetes discovery "
                + "needs this pod's IP from the downward API (env POD_IP, valueFrom.fieldRef.fieldPath: status.podIP)"));
        if (!isIp(ip)) {
            throw new ConfigException(POD_IP, "'" + ip + "' is not an IP address; set it from the downward API "
                    + "(valueFrom.fieldRef.fieldPath: status.podIP)");
        }
        return ip;
    }

    /**
     * All of this pod's IP addresses, its primary one first: {@code POD_IPS} (the downward API's
     * {@code status.podIPs}, comma-separated: one address per family, two in a dual-stack cluster), else
     * {@code POD_IP} alone.
     *
     * @throws ConfigException naming {@code POD_IPS} when it lists something that is not an IP address, or
     *     {@code POD_IP} as {@link #podIp()} does when {@code POD_IPS} is not set
     */
    public List<String> podIps() {
        Optional<String> list = variable(POD_IPS);
        if (list.isEmpty()) {
            return List.of(podIp());
        }
        List<String> ips = Arrays.stream(list.get().split(",", -1)).map(String::trim).toList();
        for (String ip : ips) {
            if (!isIp(ip)) {
                throw new ConfigException(POD_IPS, "'" + list.get() + "' is not a comma-separated list of IP addresses ('"
                        + ip + "' is not one); set it from the downward API (valueFrom.fieldRef.fieldPath: status.podIPs) "
                        + "or leave it unset to use POD_IP");
            }
        }
        return ips;
    }

    /**
     * Whether {@code text} is an IPv4 or IPv6 address, parsed as one: a colon alone does not make an address (an
     * {@code ip:port} would pass for IPv6, and the node would then look for itself in the Service's IPv6 slices only).
     */
    private static boolean isIp(String text) {
        return NetUtil.isValidIpV4Address(text)
                || IPV6_CHARACTERS.matcher(text).matches() && NetUtil.isValidIpV6Address(text);
    }

    /**
     * This pod's namespace: {@code POD_NAMESPACE}, else the mounted service account's namespace file.
     *
     * @throws ConfigException naming {@code POD_NAMESPACE} when neither is there
     */
    public String namespace() {
        return variable(POD_NAMESPACE)
                .or(() -> readTrimmed(serviceAccountDir.resolve("namespace")))
                .orElseThrow(() -> new ConfigException(POD_NAMESPACE, "is not set and " + serviceAccountDir.resolve("namespace")
                        + " does not exist; set POD_NAMESPACE from the downward API (valueFrom.fieldRef.fieldPath: "
                        + "metadata.namespace)"));
    }

    /**
     * The mounted service account as the API server names it ({@code system:serviceaccount:<namespace>:<name>}),
     * read from its token; empty outside a pod or when the token cannot be read.
     */
    public Optional<String> serviceAccount() {
        return readTrimmed(serviceAccountDir.resolve("token")).flatMap(PodEnvironment::subjectOf);
    }

    /** The {@code sub} claim of a JSON Web Token (the token is not verified: this is only for messages). */
    static Optional<String> subjectOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher m = SUBJECT.matcher(claims);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(env.apply(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Optional<String> readTrimmed(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
