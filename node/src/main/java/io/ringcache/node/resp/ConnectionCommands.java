package io.ringcache.node.resp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** PING, ECHO, QUIT, HELLO, AUTH, SELECT and CLIENT: the connection's own state, no keys. */
final class ConnectionCommands {

    private static final String DEFAULT_USER = "default";

    private ConnectionCommands() {
    }

    static List<CommandSpec> specs() {
        return List.of(
                CommandSpec.of("ping", -1, "fast", 0, 0, 0, "connection", "1.0.0", "Returns the server's liveliness response.",
                        ConnectionCommands::ping),
                CommandSpec.of("echo", 2, "fast", 0, 0, 0, "connection", "1.0.0", "Returns the given string.",
                        (client, args) -> ServerCommands.done(new Reply.Bulk(args[1]))),
                CommandSpec.of("quit", -1, "no_auth fast", 0, 0, 0, "connection", "1.0.0", "Closes the connection.",
                        (client, args) -> {
                            client.closeAfterReply();
                            return ServerCommands.done(Reply.OK);
                        }),
                CommandSpec.of("hello", -1, "no_auth fast", 0, 0, 0, "connection", "6.0.0", "Handshakes with the server.",
                        ConnectionCommands::hello),
                CommandSpec.of("auth", -2, "no_auth fast", 0, 0, 0, "connection", "1.0.0", "Authenticates the connection.",
                        ConnectionCommands::auth),
                CommandSpec.of("select", 2, "fast", 0, 0, 0, "connection", "1.0.0", "Changes the selected database.",
                        ConnectionCommands::select),
                CommandSpec.container("client", -2, "", "connection", "2.4.0", "A container for client connection commands.",
                        null, List.of(
                                CommandSpec.of("client|id", 2, "fast", 0, 0, 0, "connection", "5.0.0",
                                        "Returns the unique client ID of the connection.",
                                        (client, args) -> ServerCommands.done(Reply.integer(client.id()))),
                                CommandSpec.of("client|setname", 3, "fast", 0, 0, 0, "connection", "2.6.9",
                                        "Sets the connection name.", ConnectionCommands::setName),
                                CommandSpec.of("client|getname", 2, "fast", 0, 0, 0, "connection", "2.6.9",
                                        "Returns the name of the connection.",
                                        (client, args) -> ServerCommands.done(client.name() == null
                                                ? Reply.Null.INSTANCE : Reply.bulk(client.name()))),
                                CommandSpec.of("client|setinfo", 4, "fast", 0, 0, 0, "connection", "7.2.0",
                                        "Sets information specific to the client or connection.",
                                        ConnectionCommands::setInfo))));
    }

    private static CompletionStage<Reply> ping(ClientSession client, byte[][] args) {
        if (args.length > 2) {
            throw new CommandError("ERR wrong number of arguments for 'ping' command");
        }
        return ServerCommands.done(args.length == 2 ? new Reply.Bulk(args[1]) : Reply.PONG);
    }

    /**
     * {@code AUTH [username] password}. Without a configured password the only user, {@code default}, takes any
     * password, as Redis's {@code nopass} default user does; {@code AUTH password} alone is then an error.
     */
    private static CompletionStage<Reply> auth(ClientSession client, byte[][] args) {
        if (args.length > 3) {
            throw CommandError.syntax();
        }
        Optional<String> configured = client.server().settings().password();
        if (args.length == 2 && configured.isEmpty()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        byte[] user = args.length == 3 ? args[1] : DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
        authenticate(client, user, args[args.length - 1]);
        return ServerCommands.done(Reply.OK);
    }

    /** Checks the credentials in constant time and marks the client authenticated; a failure changes nothing. */
    private static void authenticate(ClientSession client, byte[] user, byte[] password) {
        Optional<String> configured = client.server().settings().password();
        boolean userKnown = Arguments.text(user).equals(DEFAULT_USER);
        boolean passwordMatches = configured.isEmpty() || MessageDigest.isEqual(
                configured.get().getBytes(StandardCharsets.UTF_8), password);
        if (!userKnown || !passwordMatches) {
            throw new CommandError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        client.authenticate();
    }

    /** {@code HELLO [protover [AUTH username password] [SETNAME clientname]]}, with Redis's checks in its order. */
    private static CompletionStage<Reply> hello(ClientSession client, byte[][] args) {
        int version = client.protocol();
        if (args.length >= 2) {
            long asked;
            try {
                asked = Arguments.integer(args[1]);
            } catch (CommandError e) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (asked < ClientSession.RESP2 || asked > ClientSession.RESP3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            version = (int) asked;
        }
        byte[] user = null;
        byte[] password = null;
        String name = null;
        for (int i = 2; i < args.length; i++) {
            int left = args.length - i - 1;
            if (Arguments.is(args[i], "auth") && left >= 2) {
                user = args[i + 1];
                password = args[i + 2];
                i += 2;
            } else if (Arguments.is(args[i], "setname") && left >= 1) {
                name = Arguments.text(args[i + 1]);
                // Redis checks the name as it parses it, so a bad name is reported before a bad password.
                checkName(name, "Client names");
                i += 1;
            } else {
                throw new ErrorLine("ERR Syntax error in HELLO option '").argument(args[i]).text("'").error();
            }
        }
        if (user != null) {
            authenticate(client, user, password);
        }
        if (!client.authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (name != null) {
            client.name(name.isEmpty() ? null : name);
        }
        client.protocol(version);
        return ServerCommands.done(new Reply.Map(List.of(
                Reply.bulk("server"), Reply.bulk("redis"),
                Reply.bulk("version"), Reply.bulk(InfoReport.REDIS_VERSION),
                Reply.bulk("proto"), Reply.integer(version),
                Reply.bulk("id"), Reply.integer(client.id()),
                Reply.bulk("mode"), Reply.bulk("standalone"),
                Reply.bulk("role"), Reply.bulk("master"),
                Reply.bulk("modules"), Reply.EMPTY_ARRAY)));
    }

    /** Only database 0 exists: a ringcache node serves one group over RESP. */
    private static CompletionStage<Reply> select(ClientSession client, byte[][] args) {
        long index = Arguments.integer(args[1]);
        if (index != (int) index) {
            // Redis reads the index as a C int, which has its own error before the database range is checked.
            throw new CommandError("ERR value is out of range, value must between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE);
        }
        if (index != 0) {
            throw new CommandError("ERR DB index is out of range");
        }
        return ServerCommands.done(Reply.OK);
    }

    private static CompletionStage<Reply> setName(ClientSession client, byte[][] args) {
        String name = Arguments.text(args[2]);
        checkName(name, "Client names");
        client.name(name.isEmpty() ? null : name);
        return ServerCommands.done(Reply.OK);
    }

    /**
     * {@code CLIENT SETINFO LIB-NAME|LIB-VER value}, checked as Redis 7.2 checks it. Nothing here reports a client's
     * library (there is no {@code CLIENT INFO} or {@code CLIENT LIST}), so the value is not kept.
     */
    private static CompletionStage<Reply> setInfo(ClientSession client, byte[][] args) {
        String attribute = Arguments.lowercase(args[2]);
        if (!attribute.equals("lib-name") && !attribute.equals("lib-ver")) {
            throw new ErrorLine("ERR Unrecognized option '").argument(args[2]).text("'").error();
        }
        String value = Arguments.text(args[3]);
        checkName(value, attribute);
        return ServerCommands.done(Reply.OK);
    }

    /** Redis's rule for names: printable ASCII without blanks ({@code !} to {@code ~}). */
    private static void checkName(String name, String what) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                throw new CommandError("ERR " + what + " cannot contain spaces, newlines or special characters.");
            }
        }
    }
}
