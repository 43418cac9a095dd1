package io.ringcache.node.group;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of an origin's answer other than 200, which is not a value: the status alone says what the load got.
 * Its {@code null} body is ready at once, so the answer does not wait for a slow or long error page; the bytes
 * are still read as they arrive and dropped, so the connection can carry the next request.
 */
final class DiscardedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final HttpResponse.BodySubscriber<Void> drain = HttpResponse.BodySubscribers.discarding();

    @Override
    public CompletionStage<byte[]> getBody() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        drain.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        drain.onNext(items);
    }

    @Override
    public void onError(Throwable error) {
        drain.onError(error);
    }

    @Override
    public void onComplete() {
        drain.onComplete();
    }
}
