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
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 in front of one node's peer port, which a test can cut (every connection through
 * it is closed and new ones are refused, as a stopped process's port refuses them: the node looks gone to
 * everyone) and restore, while the node itself keeps running and keeps its entries. It can also hold every byte
 * in both directions, connections kept open: the node looks paused, taking requests and answering none.
 *
 * <p>A cut returns once every node that dialled through the link has closed its end, so that none sends a request
 * on a connection it has not yet seen close: such a request would be one the node behind may have served, which a
 * real crash makes possible too, but a test of what happens after the crash must not race with.
 */
final class CuttableLink implements AutoCloseable {

    private final int port;
    /** Closed while the link is cut, so that connecting is refused; bound again on the same port by restore. */
    private volatile ServerSocket listener;
    private volatile Thread acceptor;
    private volatile boolean closed;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
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
        // The JDK closes a listener that a thread is blocked accepting on only once that thread returns, and until
        // then it can still accept a connection: refused means refused once cut() returns.
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relays.forEach(Relay::sever);
        relays.clear();
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
        Thread accepting = new Thread(() -> accept(socket), "cuttable-link-" + socket.getLocalPort());
        accepting.setDaemon(true);
        accepting.start();
        acceptor = accepting;
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
                Relay relay = new Relay(inbound, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                relays.add(relay);
                relay.start();
            } catch (IOException e) {
                closeQuietly(inbound);
            }
        }
    }

    /** One connection through the link: a node's connection in, and the link's own to the node behind it. */
    private final class Relay {
        private final Socket inbound;
        private final Socket outbound;
        /** Counted down once the dialling node closed its end (or the relay ended). */
        private final CountDownLatch dialerClosed = new CountDownLatch(1);
        private volatile boolean severed;

        Relay(Socket inbound, Socket outbound) {
            this.inbound = inbound;
            this.outbound = outbound;
        }

        void start() {
            thread(this::fromDialer);
            thread(this::toDialer);
        }

        /**
         * Ends the relay as a stopped process would: the node behind no longer hears anything, the dialling node
         * reads the end of its connection; waits (up to 5 s) until that node has closed its end in turn.
         */
        void sever() {
            severed = true;
            closeQuietly(outbound);
            try {
                inbound.shutdownOutput();
                dialerClosed.await(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // Closed already.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            end();
        }

        /** Relays what the dialling node sends, until it closes its end; after a cut, reads and drops it. */
        private void fromDialer() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = inbound.getInputStream()) {
                OutputStream out = outbound.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    gate.await();
                    if (!severed) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The dialling node reset its end, or the node behind is gone: the relay ends.
            } finally {
                dialerClosed.countDown();
                end();
            }
        }

        /** Relays the node's answers, until it closes its end (then so does the relay), or the link is cut. */
        private void toDialer() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = outbound.getInputStream()) {
                OutputStream out = inbound.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    gate.await();
                    out.write(buffer, 0, n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // Cut, or either end gone.
            } finally {
                if (!severed) {
                    end();
                }
            }
        }

        private void end() {
            closeQuietly(inbound);
            closeQuietly(outbound);
            relays.remove(this);
        }

        private void thread(Runnable pump) {
            Thread t = new Thread(pump, "cuttable-link-pump");
            t.setDaemon(true);
            t.start();
        }
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
        // Held bytes first: a pump waiting at the gate cannot see its connection end.
        release();
        cut();
    }
}
