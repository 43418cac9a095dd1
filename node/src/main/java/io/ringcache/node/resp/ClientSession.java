package io.ringcache.node.resp;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The state of one client connection: what {@code HELLO}, {@code AUTH}, {@code CLIENT SETNAME} and
 * {@code QUIT} change. Touched only by the connection's event loop (the decoder and the handler), so it needs
 * no locking.
 */
final class ClientSession {

    private static final AtomicLongFieldUpdater<ClientSession> COMMANDS_PROCESSED =
            AtomicLongFieldUpdater.newUpdater(ClientSession.class, "commandsProcessed");

    static final int RESP2 = 2;
    static final int RESP3 = 3;

    private final long id;
    private final ServerContext server;
    private int protocol = RESP2;
    private boolean authenticated;
    private String name;
    private boolean closeAfterReply;
    /**
     * Commands run on this connection. Written only by its event loop, read by INFO on any thread: an ordered
     * store instead of a shared counter, so connections on different cores never contend for one cache line.
     */
    private volatile long commandsProcessed;
    private final KeyPrefetcher prefetcher;

    ClientSession(long id, ServerContext server) {
        this.id = id;
        this.server = server;
        this.authenticated = server.settings().password().isEmpty();
        this.prefetcher = new KeyPrefetcher(server.commands(), server.group()::prefetch);
    }

    /** Looks up the keys of this connection's next pipelined read commands ahead of them. */
    KeyPrefetcher prefetcher() {
        return prefetcher;
    }

    /**
     * The key in {@code argument}, as {@link Arguments#key} decodes it: the very string the look-ahead decoded
     * for this argument when it did, whose hash is computed already.
     */
    String key(byte[] argument) {
        return prefetcher.keyOf(argument);
    }

    long id() {
        return id;
    }

    ServerContext server() {
        return server;
    }

    int protocol() {
        return protocol;
    }

    void protocol(int version) {
        this.protocol = version;
    }

    boolean resp3() {
        return protocol == RESP3;
    }

    /** Whether commands other than {@code AUTH}, {@code HELLO} and {@code QUIT} may run. */
    boolean authenticated() {
        return authenticated;
    }

    void authenticate() {
        this.authenticated = true;
    }

    /** The name set by {@code CLIENT SETNAME} or {@code HELLO ... SETNAME}, or {@code null}. */
    String name() {
        return name;
    }

    void name(String newName) {
        this.name = newName;
    }

    void commandProcessed() {
        COMMANDS_PROCESSED.lazySet(this, commandsProcessed + 1);
    }

    long commandsProcessed() {
        return commandsProcessed;
    }

    /** Asks the handler to close the connection once this command's reply is written ({@code QUIT}). */
    void closeAfterReply() {
        this.closeAfterReply = true;
    }

    boolean closingAfterReply() {
        return closeAfterReply;
    }
}
