package io.ringcache.node.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds an error reply that quotes a client's arguments as Redis prints them with C's {@code %s} and
 * {@code %.*s}: the bytes as they came, whatever their encoding, ending before the first NUL byte and, with a
 * byte limit, cut there even inside a UTF-8 sequence. Decoding an argument to text first would turn bytes that are
 * not UTF-8 into U+FFFD, which Redis never sends.
 */
final class ErrorLine {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    /** A line starting with {@code text}, which starts with the error's code ({@code ERR ...}). */
    ErrorLine(String text) {
        text(text);
    }

    ErrorLine text(String text) {
        line.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** {@code argument} as {@code %s} prints it. */
    ErrorLine argument(byte[] argument) {
        return argument(argument, Integer.MAX_VALUE);
    }

    /** {@code argument} as {@code %.*s} prints it with {@code maxBytes}. */
    ErrorLine argument(byte[] argument, int maxBytes) {
        line.write(argument, 0, printedLength(argument, maxBytes));
        return this;
    }

    /** How many bytes C's {@code %.*s} prints: at most {@code maxBytes}, ending before the first NUL byte. */
    static int printedLength(byte[] argument, int maxBytes) {
        int length = 0;
        while (length < argument.length && length < maxBytes && argument[length] != 0) {
            length++;
        }
        return length;
    }

    Reply.Error reply() {
        return new Reply.Error(line.toByteArray());
    }

    /** The reply as a {@link CommandError} for a command to throw. */
    CommandError error() {
        return new CommandError(reply());
    }
}
