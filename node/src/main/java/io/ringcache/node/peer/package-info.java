/**
 * The transport between nodes: Netty with length-delimited protobuf frames ({@code src/main/proto/peer.proto})
 * over a few persistent connections per peer. Requests carry ids, so many share one connection; every call
 * has a deadline, which the receiver is handed too; a call that fails tells whether its request was sent (the peer
 * may have served it) or certainly not; a refused peer fails fast and is redialled with backoff; an idle
 * connection is pinged, so a vanished peer is found out; a bad frame closes only its own connection, and a request
 * of an operation the receiver does not know (a newer node's, during a rolling upgrade) fails only its own call;
 * what a connection queues is bounded on both ends, so calls to a peer that stops reading fail at once instead of
 * queueing without bound, and a peer that sends requests faster than they are answered is read no more meanwhile.
 */
package io.ringcache.node.peer;
