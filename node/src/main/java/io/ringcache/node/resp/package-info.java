/**
 * The Redis protocol front end: RESP2, and RESP3 after {@code HELLO 3}, served by Netty on
 * {@code ringcache.resp.port}. Each connection's pipeline is three small handlers: {@link
 * io.ringcache.node.resp.RespRequestDecoder} turns bytes into requests (multibulk or inline),
 * {@link io.ringcache.node.resp.CommandHandler} runs each request's command against one
 * {@link io.ringcache.node.group.Group} and keeps the replies in request order however their futures
 * complete, and {@link io.ringcache.node.resp.ReplyEncoder} writes a batch of replies in the protocol
 * version each was made for. Commands live in tables by family ({@code StringCommands},
 * {@code KeyCommands}, {@code ServerCommands}, {@code ConnectionCommands}); read-modify-write commands
 * are sent to the key's owner as {@link io.ringcache.node.group.Mutation}s, so they are atomic cluster-wide.
 */
package io.ringcache.node.resp;
