package io.ringcache.node.http;

import io.quarkus.vertx.http.runtime.filters.AbstractResponseWrapper;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * A response that sends its status and header fields and drops any content it is given, for a HEAD
 * ({@link ExtensionHeadWithoutContent}). Every write, end and send of a buffer or a
 * string writes nothing or ends without content; the rest is the response's own. Streams and files are not held
 * back: the extensions it serves answer from memory. A response ended or sent with its whole body carries that body's
 * Content-Length, as the GET's does (Vert.x counts it only for a GET) and RFC 9110 (9.3.2) asks of a HEAD; one written
 * in chunks carries none, its length unknown when it ends, nor does one that named its own.
 */
final class ContentlessResponse extends AbstractResponseWrapper {

    /** A chunk was written (and dropped): the body is not the one it ends with. */
    private boolean written;

    ContentlessResponse(HttpServerResponse response) {
        super(response);
    }

    @Override
    public Future<Void> write(Buffer data) {
        return dropChunk();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        dropChunk(handler);
    }

    @Override
    public Future<Void> write(String chunk) {
        return dropChunk();
    }

    @Override
    public void write(String chunk, Handler<AsyncResult<Void>> handler) {
        dropChunk(handler);
    }

    @Override
    public Future<Void> write(String chunk, String encoding) {
        return dropChunk();
    }

    @Override
    public void write(String chunk, String encoding, Handler<AsyncResult<Void>> handler) {
        dropChunk(handler);
    }

    @Override
    public Future<Void> end(Buffer data) {
        countLength(data);
        return end();
    }

    @Override
    public void end(Buffer data, Handler<AsyncResult<Void>> handler) {
        countLength(data);
        end(handler);
    }

    @Override
    public Future<Void> end(String chunk) {
        countLength(Buffer.buffer(chunk));
        return end();
    }

    @Override
    public void end(String chunk, Handler<AsyncResult<Void>> handler) {
        countLength(Buffer.buffer(chunk));
        end(handler);
    }

    @Override
    public Future<Void> end(String chunk, String encoding) {
        countLength(Buffer.buffer(chunk, encoding));
        return end();
    }

    @Override
    public void end(String chunk, String encoding, Handler<AsyncResult<Void>> handler) {
        countLength(Buffer.buffer(chunk, encoding));
        end(handler);
    }

    @Override
    public Future<Void> send(Buffer body) {
        countLength(body);
        return send();
    }

    @Override
    public void send(Buffer body, Handler<AsyncResult<Void>> handler) {
        countLength(body);
        send(handler);
    }

    @Override
    public Future<Void> send(String body) {
        countLength(Buffer.buffer(body));
        return send();
    }

    @Override
    public void send(String body, Handler<AsyncResult<Void>> handler) {
        countLength(Buffer.buffer(body));
        send(handler);
    }

    /**
     * The Content-Length of the whole body the response ends with, unless chunks came before it, the route named a
     * length, or the headers went out already (ahead of a custom frame or a file) and can no longer change.
     */
    private void countLength(Buffer body) {
        if (!written && !headWritten() && !headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        }
    }

    private Future<Void> dropChunk() {
        written = true;
        return Future.succeededFuture();
    }

    private void dropChunk(Handler<AsyncResult<Void>> handler) {
        Future<Void> dropped = dropChunk();
        if (handler != null) {
            handler.handle(dropped);
        }
    }
}
