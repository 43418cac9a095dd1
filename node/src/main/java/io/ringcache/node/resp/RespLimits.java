package io.ringcache.node.resp;

import io.ringcache.node.group.Limits;

/**
 * How large a request may be before the decoder calls it a protocol error and closes the connection. Redis's
 * own limits where they make sense for a cache ({@value #MAX_LINE_BYTES} bytes for an inline request or a
 * length line, 10 elements and 16 KiB per argument before {@code AUTH}); the rest follows the node's key and
 * value limits, so no single request can make a connection hold more than about {@link #maxRequestBytes()}.
 *
 * @param maxBulkBytes the longest argument: the larger of {@code ringcache.max-value-bytes} and
 *     {@code ringcache.max-key-bytes}, since no command takes anything longer
 * @param maxArguments the most arguments in one request
 * @param maxRequestBytes the most argument bytes in one request: room for {@link #MSET_VALUES_PER_REQUEST}
 *     values of the largest size, at least 64 MiB
 */
record RespLimits(int maxBulkBytes, int maxArguments, long maxRequestBytes) {

    /** Redis's limit for an inline request and for a {@code *} or {@code $} line. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** Redis's limit on the arguments of one request (its {@code 1024*1024} before 7.0). */
    static final int MAX_ARGUMENTS = 1024 * 1024;
    /** Before {@code AUTH}, when a password is set: Redis's limits for unauthenticated clients. */
    static final int UNAUTHENTICATED_MAX_ARGUMENTS = 10;
    static final int UNAUTHENTICATED_MAX_BULK_BYTES = 16 * 1024;
    static final int MSET_VALUES_PER_REQUEST = 16;
    static final long MIN_REQUEST_BYTES = 64L << 20;

    static RespLimits of(Limits limits) {
        int maxBulk = Math.max(limits.maxValueBytes(), limits.maxKeyBytes());
        long maxRequest = Math.max(MIN_REQUEST_BYTES, (long) MSET_VALUES_PER_REQUEST * (maxBulk + limits.maxKeyBytes()));
        return new RespLimits(maxBulk, MAX_ARGUMENTS, maxRequest);
    }
}
