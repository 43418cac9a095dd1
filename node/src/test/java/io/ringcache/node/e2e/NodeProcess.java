package io.ringcache.node.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The packaged node jar running as its own process on 127.0.0.1, with its log in {@code target/e2e/}. */
final class NodeProcess implements AutoCloseable {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final Random RANDOM = new Random();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int httpPort;
    final int peerPort;
    final Path log;
    private final Process process;

    private NodeProcess(String name, int httpPort, int peerPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.peerPort = peerPort;
        this.log = log;
        this.process = process;
    }

    /**
     * Free ports for a node: HTTP, peer. The RESP server binds port 0: nothing else needs to know its port.
     */
    static int[] freePorts() {
        return new int[] {freePort(), freePort()};
    }

    /**
     * A port free now, below the kernel's ephemeral range and not handed out before in this JVM. A port the kernel
     * picks (port 0) lies inside that range, where any outgoing connection (a peer client, the test's HTTP client)
     * can take it as its local port in the second or two before the node binds it.
     */
    private static int freePort() {
        // A kernel whose ephemeral range starts very low leaves no room below it: then ports may still collide.
        int below = Math.max(ephemeralRangeStart(), 13_024);
        int from = below - 12_000;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = from + RANDOM.nextInt(below - from);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // Another program listens there: try another port.
            }
        }
        throw new IllegalStateException("no free port between " + from + " and " + below);
    }

    private static int ephemeralRangeStart() {
        try {
            // Read as lines: readString trusts the size /proc reports and reads too little.
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }

    /** Starts the node jar with {@code properties} as {@code -D} options on the given ports. */
    static NodeProcess start(String name, int[] ports, Map<String, String> properties) throws IOException {
        return start(name, ports, properties, Map.of());
    }

    /** As {@link #start(String, int[], Map)}, with extra environment variables. */
    static NodeProcess start(String name, int[] ports, Map<String, String> properties, Map<String, String> env)
            throws IOException {
        String jar = System.getProperty("node.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the packaged node jar is missing (system property node.jar = " + jar + ")");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + ports[0],
                "-Dringcache.peer-host=127.0.0.1", "-Dringcache.peer-port=" + ports[1],
                "-Dringcache.resp.host=127.0.0.1", "-Dringcache.resp.port=0"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar);
        Path dir = Path.of("target", "e2e");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        return new NodeProcess(name, ports[0], ports[1], log, process);
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails with the node's log. */
    NodeProcess awaitReady(Duration timeout) throws Exception {
        return awaitHealth("/q/health/ready", timeout);
    }

    /** Waits until {@code /q/health/live} answers 200: the node runs, in service or not. */
    NodeProcess awaitLive(Duration timeout) throws Exception {
        return awaitHealth("/q/health/live", timeout);
    }

    private NodeProcess awaitHealth(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get(path).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + Files.readString(log));
    }

    /** Waits for the process to exit by itself and returns its exit code, or fails with its log. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs after " + timeout + ":\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    String peer() {
        return "127.0.0.1:" + peerPort;
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> put(String path, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** SIGTERM, then waits for the process to exit. */
    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM");
        }
    }

    /** SIGKILL: the node vanishes without a word. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the node freezes with everything it holds, as in a long pause; {@link #resume} thaws it. */
    void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("could not send SIG" + name + " to " + this.name);
        }
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
