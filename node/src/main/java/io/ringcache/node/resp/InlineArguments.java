package io.ringcache.node.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request (a plain line, as typed into telnet) into arguments the way Redis's
 * {@code sdssplitargs} does: separated by blanks; {@code "double quotes"} with backslash escapes
 * ({@code \n \r \t \b \a \\ \" \xHH}); {@code 'single quotes'} with only {@code \'}. A closing quote must be
 * followed by a blank or the end of the line. Blanks are C's {@code isspace} between arguments, but only space,
 * tab, CR and LF end an unquoted one: a vertical tab or form feed inside it is part of it, as in Redis.
 */
final class InlineArguments {

    private InlineArguments() {
    }

    /**
     * The arguments of {@code line} (without its line ending); empty for a blank line.
     *
     * @throws IllegalArgumentException for unbalanced quotes
     */
    static List<byte[]> split(byte[] line) {
        List<byte[]> arguments = new ArrayList<>();
        int i = 0;
        int n = line.length;
        while (true) {
            while (i < n && isBlank(line[i])) {
                i++;
            }
            if (i == n) {
                return arguments;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (i == n) {
                        throw unbalanced();
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        current.write(Character.digit(line[i + 2], 16) * 16 + Character.digit(line[i + 3], 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        current.write(unescape(line[i]));
                    } else if (c == '"') {
                        if (i + 1 < n && !isBlank(line[i + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (i == n) {
                        throw unbalanced();
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isBlank(line[i + 1])) {
                            throw unbalanced();
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (i == n || endsArgument(line[i])) {
                    done = true;
                } else if (line[i] == '"') {
                    inDouble = true;
                } else if (line[i] == '\'') {
                    inSingle = true;
                } else {
                    current.write(line[i]);
                }
                if (i < n) {
                    i++;
                }
            }
            arguments.add(current.toByteArray());
        }
    }

    private static byte unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    /** What ends an unquoted argument: Redis's {@code case ' ': case '\n': case '\r': case '\t'}. */
    private static boolean endsArgument(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** C's {@code isspace}: what Redis skips between arguments and accepts after a closing quote. */
    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private static boolean isHex(byte c) {
        return Character.digit(c, 16) >= 0;
    }

    private static IllegalArgumentException unbalanced() {
        return new IllegalArgumentException("unbalanced quotes in request");
    }
}
