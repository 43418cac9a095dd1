package io.ringcache.node.peer;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Pong;
import io.ringcache.node.peer.proto.Value;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer made of plain sockets, to watch from the other end what a client does with its connections. It answers a
 * ping with a pong and a get with "value of" its key; the answers to gets of "slow" wait until {@link #releaseHeld}.
 * Once {@linkplain #silence silenced} it reads requests and answers none, and never closes a connection itself: a
 * machine that vanished sends no reset.
 */
final class ScriptedPeer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final AtomicInteger pingsAnswered = new AtomicInteger();
    private volatile boolean silent;

    ScriptedPeer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-peer-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String member() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, answers nothing (connections stay open). */
    void silence() {
        silent = true;
    }

    /** Answers again. */
    void speak() {
        silent = false;
    }

    /** Sends the answers held back so far. */
    void releaseHeld() {
        held.forEach(Runnable::run);
        held.clear();
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Pings answered so far. */
    int pingsAnswered() {
        return pingsAnswered.get();
    }

    /** Connections whose other end (the client) closed them. */
    int connectionsClosedByClient() {
        return closedByClient.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread reader = new Thread(() -> serve(socket), "scripted-peer-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                PeerRequest request = PeerRequest.parseFrom(frame);
                if (silent) {
                    continue;
                }
                PeerResponse.Builder response = PeerResponse.newBuilder().setId(request.getId());
                if (request.hasPing()) {
                    response.setPong(Pong.newBuilder().setMember(member()));
                    pingsAnswered.incrementAndGet();
                } else {
                    response.setValue(Value.newBuilder()
                            .setValue(ByteString.copyFromUtf8("value of " + request.getGet().getKey())));
                }
                byte[] answer = response.build().toByteArray();
                if (request.getGet().getKey().equals("slow")) {
                    held.add(() -> write(out, answer));
                } else {
                    write(out, answer);
                }
            }
        } catch (IOException e) {
            // The client closed or reset the connection (or close() below did).
            if (!listener.isClosed()) {
                closedByClient.incrementAndGet();
            }
        }
    }

    private static void write(DataOutputStream out, byte[] answer) {
        try {
            synchronized (out) {
                out.writeInt(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // The connection is gone; its reader counts that.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
