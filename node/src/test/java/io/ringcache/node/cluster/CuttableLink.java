package io.ringcache.node.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay on 127.0.0.1 in front of one node's peer port, which a test can cut (every connection through
 * it is closed and new ones are refused, as a stopped process's port refuses them: the node looks gone to
 * everyone) and restore, while the node itself keeps running and keeps its entries. It can also hold every byte
 * in both directions, connections kept open: the node looks paused, taking requests and answering none.
 */
final class CuttableLink implements AutoCloseable {

    private final int port;
    /** Closed while the link is cut, so that connecting is refused; bound again on the same port by restore. */
    private volatile ServerSocket listener;
    private volatile boolean closed;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean cut;
    /** Bytes wait here while the link is held; a counted-down latch lets them through. */
    private volatile CountDownLatch gate = new CountDownLatch(0);

    CuttableLink() throws IOException {
        listener = listen(0);
        port = listener.getLocalPort();
        startAccepting(listener);
    }

    /** The port other nodes dial: the node's member id is {@code 127.0.0.1:} this port. */
    int port() {
        return port;
    }

    /** Where connections go while the link is not cut. */
    void relayTo(int port) {
        targetPort = port;
    }

    /** Closes every connection through the link and refuses new ones, until {@link #restore}. */
    synchronized void cut() {
        if (cut) {
            return;
        }
        cut = true;
        closeQuietly(listener);
        open.forEach(CuttableLink::closeQuietly);
        open.clear();
    }

    /** Accepts connections on the link's port again. */
    synchronized void restore() throws IOException {
        if (!cut || closed) {
            return;
        }
        listener = listen(port);
        cut = false;
        startAccepting(listener);
    }

    /** Holds every byte in both directions, connections kept open: calls through the link wait, unanswered. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets the held bytes, and all after them, through. */
    void release() {
        gate.countDown();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        // The port's relayed connections, closed by cut(), may linger in TIME_WAIT.
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void startAccepting(ServerSocket socket) {
        Thread acceptor = new Thread(() -> accept(socket), "cuttable-link-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket inbound;
            try {
                inbound = socket.accept();
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

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was wanted.
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
        release();
    }
}
