package io.ringcache.node.http;

import io.quarkus.vertx.http.runtime.filters.AbstractResponseWrapper;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A response that sends its status and header fields and drops any content it is given, for a HEAD over HTTP/2,
 * where Vert.x sends what a route writes ({@link ExtensionHeadOverHttp2}). Every write, end and send of a buffer or a
 * string writes nothing or ends without content; the rest is the response's own. Streams and files are not held
 * back: the extensions it serves answer from memory.
 */
final class ContentlessResponse extends AbstractResponseWrapper {

    ContentlessResponse(HttpServerResponse response) {
        super(response);
    }

    @Override
    public Future<Void> write(Buffer data) {
        return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        written(handler);
    }

    @Override
    public Future<Void> write(String chunk) {
        return Future.succeededFuture();
    }

    @Override
    public void write(String chunk, Handler<AsyncResult<Void>> handler) {
        written(handler);
    }

    @Override
    public Future<Void> write(String chunk, String encoding) {
        return Future.succeededFuture();
    }

    @Override
    public void write(String chunk, String encoding, Handler<AsyncResult<Void>> handler) {
        written(handler);
    }

    @Override
    public Future<Void> end(Buffer data) {
        return end();
    }

    @Override
    public void end(Buffer data, Handler<AsyncResult<Void>> handler) {
        end(handler);
    }

    @Override
    public Future<Void> end(String chunk) {
        return end();
    }

    @Override
    public void end(String chunk, Handler<AsyncResult<Void>> handler) {
        end(handler);
    }

    @Override
    public Future<Void> end(String chunk, String encoding) {
        return end();
    }

    @Override
    public void end(String chunk, String encoding, Handler<AsyncResult<Void>> handler) {
        end(handler);
    }

    @Override
    public Future<Void> send(Buffer body) {
        return send();
    }

    @Override
    public void send(Buffer body, Handler<AsyncResult<Void>> handler) {
        send(handler);
    }

    @Override
    public Future<Void> send(String body) {
        return send();
    }

    @Override
    public void send(String body, Handler<AsyncResult<Void>> handler) {
        send(handler);
    }

    private static void written(Handler<AsyncResult<Void>> handler) {
        if (handler != null) {
            handler.handle(Future.succeededFuture());
        }
    }
}
