package io.ringcache.node.resp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real redis-server on 127.0.0.1 for tests that hold ringcache to it: no persistence, its files in a directory
 * the test owns. {@link #close()} ends it; a shutdown hook ends it too if the JVM stops before the test's
 * {@code @AfterAll} runs, so no server outlives the test run.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+\\.\\d+\\.\\d+)");
    private static final int ATTEMPTS = 3;
    private static final long READY_WITHIN_MILLIS = 10_000;

    private final Process process;
    private final int port;
    private final Thread killOnExit;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.killOnExit = new Thread(process::destroyForcibly, "redis-server-" + port + "-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The version {@code executable --version} reports, e.g. {@code 7.0.15}, or empty when it says none. */
    static Optional<String> version(Path executable) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(10, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Starts {@code executable} on a free port of 127.0.0.1 with {@code dir} as its working directory and log,
     * and returns once it answers PING. Another process may take the port between the probe and the bind; the
     * server then exits and is started again on another port.
     */
    static RedisServerProcess start(Path executable, Path dir) throws IOException, InterruptedException {
        Path log = dir.resolve("redis-server.log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process process = new ProcessBuilder(List.of(executable.toString(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--daemonize", "no", "--logfile", ""))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            RedisServerProcess server = new RedisServerProcess(process, port);
            if (server.awaitReady()) {
                return server;
            }
            server.close();
            if (attempt == ATTEMPTS) {
                throw new IOException("redis-server did not start on 127.0.0.1 in " + ATTEMPTS + " attempts; its log:\n"
                        + Files.readString(log));
            }
        }
    }

    int port() {
        return port;
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_WITHIN_MILLIS;
        while (process.isAlive() && System.currentTimeMillis() < deadline) {
            try (RawConnection c = new RawConnection(port)) {
                if (c.send(RawConnection.command("PING")).readReply().equals("+PONG\r\n")) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Ends the server (SIGTERM, then SIGKILL if it has not exited within 5 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: the process is gone either way.
        }
    }
}
