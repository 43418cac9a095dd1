package io.ringcache.node.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay on 127.0.0.1 in front of one node's peer port, which a test can cut (every connection through
 * it is closed and new ones are closed as soon as they are accepted: the node looks gone to everyone) and
 * restore, while the node itself keeps running and keeps its entries.
 */
final class CuttableLink implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean cut;
    /** Bytes wait here while the link is held; a counted-down latch lets them through. */
    private volatile CountDownLatch gate = new CountDownLatch(0);

    CuttableLink() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cuttable-link-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port other nodes dial: the node's member id is {@code 127.0.0.1:} this port. */
    int port() {
        return listener.getLocalPort();
    }

    /** Where connections go while the link is not cut. */
    void relayTo(int port) {
        targetPort = port;
    }

    /** Closes every connection through the link and every new one, until {@link #restore}. */
    void cut() {
        cut = true;
        open.forEach(CuttableLink::closeQuietly);
        open.clear();
    }

    void restore() {
        cut = false;
    }

    /** Holds every byte in both directions, connections kept open: calls through the link wait, unanswered. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets the held bytes, and all after them, through. */
    void release() {
        gate.countDown();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket inbound;
            try {
                inbound = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut || targetPort == 0) {
                closeQuietly(inbound);
                continue;
            }
            try {
                Socket outbound = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(inbound);
                open.add(outbound);
                pump(inbound, outbound);
                pump(outbound, inbound);
            } catch (IOException e) {
                closeQuietly(inbound);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    gate.await();
                    out.write(buffer, 0, n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The other side or cut() closed the connection: the relay of this direction ends.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "cuttable-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was wanted.
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        listener.close();
    }
}
