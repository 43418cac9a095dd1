package io.ringcache.node.resp;

/**
 * A command refused its arguments; {@code text} is the error reply, starting with its code. Carries no stack
 * trace: it is an answer to the client, not a fault of the node.
 */
final class CommandError extends RuntimeException {

    private final Reply.Error reply;

    CommandError(String text) {
        this(Reply.error(text));
    }

    /** An error whose reply quotes a client's bytes ({@link ErrorLine}). */
    CommandError(Reply.Error reply) {
        super(reply.text(), null, false, false);
        this.reply = reply;
    }

    Reply reply() {
        return reply;
    }

    static CommandError syntax() {
        return new CommandError("ERR syntax error");
    }

    static CommandError notAnInteger() {
        return new CommandError("ERR value is not an integer or out of range");
    }

    static CommandError invalidExpireTime(String command) {
        return new CommandError("ERR invalid expire time in '" + command + "' command");
    }
}
