package io.ringcache.node.group;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Loads a key by an HTTP GET of a URL template in which {@code {key}} is replaced by the URL-encoded key
 * ({@link #urlFor}).
 * 200 is the value, 404 means the origin has no such key, any other status (or a 200 whose value is sent with a
 * Content-Encoding) is a {@link LoadFailedException} naming it; an origin whose response headers take longer than
 * the timeout is a {@link LoadTimeoutException}. A value over the value limit is a {@link LoadFailedException} too,
 * read no further than the limit; any other status is answered without waiting for its body, which is discarded as
 * it arrives. The timeout does not bound the body of a 200: the group's load timeout does, and cancels the load,
 * which closes the connection.
 */
public final class HttpOriginLoader implements Loader {

    public static final String KEY_PLACEHOLDER = "{key}";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final String urlTemplate;
    private final Duration timeout;
    private final int maxValueBytes;

    /**
     * @param client shared by every loader of the node; it owns the connection pool
     * @param urlTemplate an {@code http} or {@code https} URL containing {@value #KEY_PLACEHOLDER}
     * @param timeout the longest a request may take
     * @param maxValueBytes the largest value accepted ({@code ringcache.max-value-bytes})
     */
    public HttpOriginLoader(HttpClient client, String urlTemplate, Duration timeout, int maxValueBytes) {
        checkTemplate(urlTemplate);
        this.client = client;
        this.urlTemplate = urlTemplate;
        this.timeout = timeout;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * The client the loaders of a node share. It follows the redirects an origin sends (301, 302, 303, 307, 308), so
     * that an origin may move its resources, except from {@code https} to {@code http}, and at most four in a row
     * (five requests, the JDK client's limit): a redirect it does not follow is answered as its status, a load failure.
     */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Checks that {@code urlTemplate} is an absolute http(s) URL, with a port from 1 to 65535 if it names one, and a
     * {@value #KEY_PLACEHOLDER} placeholder in its path or query only. In the host or port a client's key would pick
     * the machine the node fetches from; in the fragment, which is never sent, every key would fetch the same resource.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkTemplate(String urlTemplate) {
        if (!urlTemplate.contains(KEY_PLACEHOLDER)) {
            throw new IllegalArgumentException("'" + urlTemplate + "' has no " + KEY_PLACEHOLDER
                    + " placeholder; write e.g. http://origin:8080/items/{key}");
        }
        if (placeholderOutsidePathAndQuery(urlTemplate)) {
            throw new IllegalArgumentException("'" + urlTemplate + "' has " + KEY_PLACEHOLDER + " outside its path and"
                    + " query; a key may choose only the resource, e.g. http://origin:8080/items/{key}");
        }
        URI uri;
        try {
            uri = URI.create(urlTemplate.replace(KEY_PLACEHOLDER, "k"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + urlTemplate + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + urlTemplate + "' is not an absolute http or https URL");
        }
        // URI takes any number as a port; the client then fails every load ("port out of range", or connecting to 0).
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("'" + urlTemplate + "' has port " + uri.getPort()
                    + "; use a port from 1 to 65535");
        }
    }

    /**
     * Whether {@value #KEY_PLACEHOLDER} stands in the template's scheme or authority (user, host, port: before the
     * first {@code /}, {@code ?} or {@code #} after {@code //}) or in its fragment (after {@code #}). Read from the
     * text, since a placeholder in the port leaves no host for {@link URI} to report.
     */
    private static boolean placeholderOutsidePathAndQuery(String urlTemplate) {
        int authority = urlTemplate.indexOf("//");
        int authorityEnd = authority < 0 ? 0 : authority + 2;
        while (authorityEnd < urlTemplate.length() && "/?#".indexOf(urlTemplate.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        int fragment = urlTemplate.indexOf('#');
        return urlTemplate.substring(0, authorityEnd).contains(KEY_PLACEHOLDER)
                || (fragment >= 0 && urlTemplate.substring(fragment).contains(KEY_PLACEHOLDER));
    }

    /**
     * The URL fetched for {@code key}. Spaces become {@code %20}, not {@code +}, since the key may sit in a path.
     * The keys {@code .} and {@code ..} become {@code %2E} and {@code %2E%2E}: URL encoding leaves dots alone, and as
     * a whole path segment they are dot segments, which clients and servers resolve away ({@code /items/..} is
     * {@code /}), so the origin would be asked for another resource than the key. Dots beside any other character
     * ({@code a..b}, {@code ..%2Fetc}) are no dot segment and are sent as they are.
     */
    URI urlFor(String key) {
        String encoded = key.equals(".") || key.equals("..") ? key.replace(".", "%2E")
                : URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(urlTemplate.replace(KEY_PLACEHOLDER, encoded));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> load(String key) {
        URI url = urlFor(key);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        HttpResponse.BodyHandler<byte[]> body = response -> response.statusCode() == 200
                && contentEncoding(response.headers()).isEmpty()
                ? new BoundedBody(url, maxValueBytes)
                : new DiscardedBody();
        // The future returned is a dependent of sendAsync's, and the JDK's client (17, as measured here) cancels the
        // exchange, closing its connection, when such a dependent is cancelled: a group that times a load out and cancels it
        // does not read on a body that stalls (cancellingALoadClosesItsConnection checks this).
        return client.sendAsync(request, body)
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure(url, error instanceof CompletionException ? error.getCause() : error);
                    }
                    Optional<String> encoding = contentEncoding(response.headers());
                    if (response.statusCode() == 200 && encoding.isPresent()) {
                        throw new LoadFailedException("origin " + url + " sent its value with Content-Encoding '"
                                + encoding.get() + "'; the node asks for none and caches values as sent");
                    }
                    return switch (response.statusCode()) {
                        case 200 -> Optional.of(response.body());
                        case 404 -> Optional.empty();
                        default -> throw new LoadFailedException("origin " + url + " answered HTTP " + response.statusCode());
                    };
                });
    }

    /**
     * The answer's content coding other than {@code identity}, if any. The client asks for none (it sends no
     * Accept-Encoding), but an origin that compresses anyway sends bytes that are not the value: cached, they would
     * be served still encoded, with no header to say so.
     */
    private static Optional<String> contentEncoding(HttpHeaders headers) {
        return headers.firstValue("Content-Encoding").map(String::strip)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("identity"));
    }

    private RuntimeException failure(URI url, Throwable cause) {
        if (cause instanceof LoadFailedException tooLarge) {
            return tooLarge;
        }
        if (cause instanceof HttpTimeoutException) {
            return new LoadTimeoutException("origin " + url + " did not answer within " + timeout.toMillis() + " ms", cause);
        }
        return new LoadFailedException("origin " + url + " failed: " + cause, cause);
    }
}
