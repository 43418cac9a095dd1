package io.ringcache.node.resp;

import java.util.concurrent.CompletionStage;

/**
 * What a command does, given a request whose arity has been checked. It returns at once, never blocks, and
 * reports a bad argument by throwing {@link CommandError}; its reply may complete later on any thread.
 */
@FunctionalInterface
interface Command {

    /**
     * @param arguments the request: {@code arguments[0]} is the command name (and {@code arguments[1]} the
     *     subcommand name of a container command such as {@code CLIENT})
     */
    CompletionStage<Reply> execute(ClientSession client, byte[][] arguments);
}
