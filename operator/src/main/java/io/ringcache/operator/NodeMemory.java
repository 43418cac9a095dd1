package io.ringcache.operator;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.ringcache.api.CacheClusterSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a node's cache fits the memory its container may use. Every cached entry lives in the node's heap:
 * {@code cache.memory}, with hot keys on up to 1/8 more for the copies of other nodes' hot keys (the node's
 * {@code ringcache.hot-keys.budget-fraction}, which the operator leaves at its default), and beside them what the
 * node's own work needs. The JVM sizes its heap as a share of the container's memory limit, or as {@code -Xmx} says;
 * the rest of the limit is the JVM's own (metaspace, code, thread stacks, Netty's direct buffers). A cache too large
 * for the heap ends in OutOfMemoryError, one whose heap was sized past the limit in an OOM kill: either way the node
 * loses its entries, and every node of the cluster fills up alike.
 */
final class NodeMemory {

    static final long MIB = 1024L * 1024;
    /** The hot tier holds up to this fraction of each group's budget on top of it: 1/8, the node's default. */
    static final long HOT_TIER_DIVISOR = 8;
    /**
     * Heap the node uses beside its cached entries: Quarkus', Vert.x' and Netty's objects, requests and hand-off
     * batches in flight, and room for the garbage collector to work in.
     */
    static final long HEAP_HEADROOM_BYTES = 64 * MIB;
    /** Memory a JVM needs beside a heap fixed by {@code -Xmx}: metaspace, code, thread stacks, Netty's direct buffers. */
    static final long NON_HEAP_BYTES = 128 * MIB;
    /**
     * The heap's share of the limit in the JVM node image, {@code -XX:MaxRAMPercentage=75.0} in its JAVA_OPTS. The
     * native image's default share (Native Image's 80%) is larger, so what fits this share fits both images.
     */
    static final BigDecimal IMAGE_HEAP_PERCENT = BigDecimal.valueOf(75);
    /** HotSpot's own default share: what a JVM node gets when its JAVA_OPTS replace the image's and set no heap. */
    static final BigDecimal JVM_DEFAULT_HEAP_PERCENT = BigDecimal.valueOf(25);

    private static final Pattern HEAP_SIZE = Pattern.compile("(-Xmx|-XX:MaxHeapSize=)([0-9]{1,19})([kKmMgGtT]?)");
    private static final Pattern HEAP_PERCENT = Pattern.compile("-XX:MaxRAMPercentage=([0-9]{1,3}(\\.[0-9]+)?)");

    private NodeMemory() {
    }

    /**
     * The node's maximum heap.
     *
     * @param percentOfLimit the heap's share of the memory limit; null when {@code sizeOption} fixes the heap
     * @param source         why that share, for a message
     * @param sizeOption     the {@code -Xmx} (or {@code -XX:MaxHeapSize}) option that fixes the heap, else null
     */
    private record Heap(long bytes, BigDecimal percentOfLimit, String source, String sizeOption) {
    }

    /**
     * The options a JVM node reads from {@code JAVA_OPTS}, and the field they come from, for a message.
     *
     * @param options none when the container leaves the image's JAVA_OPTS alone
     */
    private record JavaOptions(String field, List<String> options) {
    }

    /**
     * What is wrong with the memory of {@code spec}'s nodes, which hold {@code cacheBytes} of {@code cache.memory}:
     * nothing without a memory limit, since the node then has its host's memory, nor when JAVA_OPTS comes from a
     * ConfigMap or a Secret, which the operator does not read.
     */
    static List<String> problems(CacheClusterSpec spec, long cacheBytes) {
        Optional<Long> limit = memoryLimit(spec.getResources());
        if (limit.isEmpty()) {
            return List.of();
        }
        Optional<JavaOptions> javaOptions = javaOptions(spec);
        if (javaOptions.isEmpty()) {
            return List.of();
        }
        Heap heap = heap(javaOptions.get(), limit.get());
        long hotCopies = Boolean.TRUE.equals(spec.getCache().getHotKeys().getEnabled())
            ? cacheBytes / HOT_TIER_DIVISOR : 0;
        long needed = saturatedSum(cacheBytes, hotCopies, HEAP_HEADROOM_BYTES);
        if (needed > heap.bytes()) {
            String tooSmall = "too small for " + size(cacheBytes) + " of cache.memory, "
                + (hotCopies > 0 ? size(hotCopies) + " of hot-key copies and " : "")
                + size(HEAP_HEADROOM_BYTES) + " for the node's own work, " + size(needed) + " in all; ";
            if (heap.sizeOption() != null) {
                return List.of(javaOptions.get().field() + ": " + heap.sizeOption() + " gives the node a " + size(heap.bytes())
                    + " heap, " + tooSmall + "raise " + flag(heap.sizeOption()) + " to at least "
                    + size(roundUpToMib(needed)) + " or lower spec.cache.memory");
            }
            String share = "spec.resources.limits.memory: " + size(limit.get()) + " gives the node a "
                + size(heap.bytes()) + " heap (" + heap.percentOfLimit().stripTrailingZeros().toPlainString()
                + "% of the limit, " + heap.source() + "), " + tooSmall;
            if (heap.percentOfLimit().signum() == 0) {
                return List.of(share + "raise -XX:MaxRAMPercentage or lower spec.cache.memory");
            }
            long leastLimit = BigDecimal.valueOf(needed).multiply(BigDecimal.valueOf(100))
                .divide(heap.percentOfLimit(), 0, RoundingMode.CEILING).min(BigDecimal.valueOf(Long.MAX_VALUE))
                .longValue();
            return List.of(share + "raise the limit to at least " + size(roundUpToMib(leastLimit))
                + " or lower spec.cache.memory");
        }
        // A share of the limit leaves the rest to the JVM by construction; a fixed heap may leave it nothing.
        if (heap.sizeOption() != null && limit.get() - heap.bytes() < NON_HEAP_BYTES) {
            return List.of(javaOptions.get().field() + ": " + heap.sizeOption() + " leaves "
                + size(Math.max(0, limit.get() - heap.bytes())) + " of the " + size(limit.get())
                + " memory limit beside the heap; the JVM needs at least " + size(NON_HEAP_BYTES)
                + " there (metaspace, code, thread stacks, Netty's direct buffers): lower " + flag(heap.sizeOption())
                + " to at most " + size(Math.max(0, limit.get() - NON_HEAP_BYTES)) + " or raise the limit to at least "
                + size(roundUpToMib(saturatedSum(heap.bytes(), NON_HEAP_BYTES))));
        }
        return List.of();
    }

    /**
     * The heap the node's JVM takes, read as a JVM reads its options: {@code -Xmx} (or {@code -XX:MaxHeapSize})
     * before {@code -XX:MaxRAMPercentage}, the last of each counting. Without options, the image's own share.
     * A native node ignores JAVA_OPTS, but they are only given for a JVM image.
     */
    private static Heap heap(JavaOptions javaOptions, long limit) {
        List<String> jvmOptions = javaOptions.options();
        if (jvmOptions.isEmpty()) {
            return share(limit, IMAGE_HEAP_PERCENT, "the node image's -XX:MaxRAMPercentage=75.0");
        }
        String sizeOption = null;
        Long sizeBytes = null;
        String percentOption = null;
        BigDecimal percent = null;
        // The options are joined with spaces into JAVA_OPTS, which the image's shell splits again.
        for (String option : String.join(" ", jvmOptions).trim().split("\\s+")) {
            Matcher size = HEAP_SIZE.matcher(option);
            Matcher share = HEAP_PERCENT.matcher(option);
            if (size.matches()) {
                sizeOption = option;
                sizeBytes = new BigDecimal(size.group(2)).multiply(BigDecimal.valueOf(unitBytes(size.group(3))))
                    .min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
            } else if (share.matches()) {
                percentOption = option;
                percent = new BigDecimal(share.group(1));
            }
        }
        if (sizeOption != null) {
            return new Heap(sizeBytes, null, null, sizeOption);
        }
        if (percentOption != null) {
            return share(limit, percent, percentOption + " in " + javaOptions.field());
        }
        return share(limit, JVM_DEFAULT_HEAP_PERCENT, "the JVM's default: " + javaOptions.field() + " replace the image's"
            + " -XX:MaxRAMPercentage=75.0 and set no heap size");
    }

    /**
     * What replaces the image's JAVA_OPTS: {@code spec.jvmOptions}, or else a {@code JAVA_OPTS} of {@code spec.env},
     * which does the same (the two together are refused). Empty when that variable is read from a ConfigMap or a
     * Secret: the heap cannot be known then.
     */
    private static Optional<JavaOptions> javaOptions(CacheClusterSpec spec) {
        if (spec.getJvmOptions() != null && !spec.getJvmOptions().isEmpty()) {
            return Optional.of(new JavaOptions("spec.jvmOptions", spec.getJvmOptions()));
        }
        Optional<EnvVar> javaOpts = Optional.ofNullable(spec.getEnv()).orElse(List.of()).stream()
            .filter(variable -> NodeDeploymentDependent.JAVA_OPTS.equals(variable.getName()))
            .findFirst();
        if (javaOpts.isEmpty()) {
            return Optional.of(new JavaOptions("spec.jvmOptions", List.of()));
        }
        if (javaOpts.get().getValueFrom() != null) {
            return Optional.empty();
        }
        return Optional.of(new JavaOptions("JAVA_OPTS in spec.env",
            List.of(Objects.requireNonNullElse(javaOpts.get().getValue(), ""))));
    }

    private static Heap share(long limit, BigDecimal percent, String source) {
        long bytes = BigDecimal.valueOf(limit).multiply(percent).divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
            .longValue();
        return new Heap(bytes, percent, source, null);
    }

    /** The memory limit in bytes; empty without one, or when it does not parse (SpecCheck names that). */
    private static Optional<Long> memoryLimit(ResourceRequirements resources) {
        if (resources == null || resources.getLimits() == null || resources.getLimits().get("memory") == null) {
            return Optional.empty();
        }
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(resources.getLimits().get("memory"));
            return Optional.of(bytes.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long unitBytes(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1;
        };
    }

    /** The option's name as a user writes it in a fix: {@code -Xmx} or {@code -XX:MaxHeapSize}. */
    private static String flag(String sizeOption) {
        return sizeOption.startsWith("-Xmx") ? "-Xmx" : "-XX:MaxHeapSize";
    }

    private static long roundUpToMib(long bytes) {
        long mebibytes = bytes / MIB + (bytes % MIB == 0 ? 0 : 1);
        return mebibytes > Long.MAX_VALUE / MIB ? Long.MAX_VALUE : mebibytes * MIB;
    }

    private static long saturatedSum(long... terms) {
        long sum = 0;
        for (long term : terms) {
            sum = sum > Long.MAX_VALUE - term ? Long.MAX_VALUE : sum + term;
        }
        return sum;
    }

    /** {@code bytes} in the largest binary unit that states it exactly, as Kubernetes quantities are written. */
    static String size(long bytes) {
        String[] units = {"Ti", "Gi", "Mi", "Ki"};
        for (int i = 0; i < units.length; i++) {
            long unitBytes = 1L << (40 - 10 * i);
            if (bytes > 0 && bytes % unitBytes == 0) {
                return bytes / unitBytes + units[i];
            }
        }
        return bytes + " bytes";
    }
}
