package io.ringcache.node.group;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an origin's response body of at most {@code maxBytes}. A longer body is cancelled as soon as it
 * passes the limit and fails with a {@link LoadFailedException}, so an origin that sends too much costs at
 * most the limit in memory, never the whole body. The HTTP client calls {@code onNext} serially.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final URI url;
    private final int maxBytes;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final List<ByteBuffer> parts = new ArrayList<>();
    private long received;
    private Flow.Subscription subscription;

    BoundedBody(URI url, int maxBytes) {
        this.url = url;
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            received += item.remaining();
            parts.add(item);
        }
        if (received > maxBytes) {
            parts.clear();
            subscription.cancel();
            body.completeExceptionally(new LoadFailedException("origin " + url + " sent a value over " + maxBytes
                    + " bytes, the limit (ringcache.max-value-bytes); nothing was cached"));
        }
    }

    @Override
    public void onError(Throwable error) {
        parts.clear();
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        if (body.isDone()) {
            return;
        }
        byte[] value = new byte[(int) received];
        int at = 0;
        for (ByteBuffer part : parts) {
            int n = part.remaining();
            part.get(value, at, n);
            at += n;
        }
        parts.clear();
        body.complete(value);
    }
}
