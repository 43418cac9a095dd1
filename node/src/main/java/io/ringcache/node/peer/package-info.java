/**
 * The transport between nodes: Netty with length-delimited protobuf frames ({@code src/main/proto/peer.proto})
 * over a few persistent connections per peer. Requests carry ids, so many share one connection; every call
 * has a deadline; a refused peer fails fast and is redialled with backoff; a bad frame closes only its own
 * connection.
 */
package io.ringcache.node.peer;
