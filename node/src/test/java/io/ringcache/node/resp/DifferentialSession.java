package io.ringcache.node.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted client session that {@link RedisDifferentialTest} replays against Redis and ringcache, read from a
 * {@code .resp} file of {@code src/test/resources/resp-differential}. The format, one step per line:
 *
 * <ul>
 *   <li>{@code SET key "a value" EX 100}: a command, sent as a multibulk request; one reply is read. Arguments are
 *       split as redis-cli and Redis's inline requests split them ({@link InlineArguments}): by blanks, in
 *       {@code "double quotes"} with {@code \r \n \t \b \a \\ \" \xHH}, or in {@code 'single quotes'}.</li>
 *   <li>{@code @raw N bytes}: sends the rest of the line as it is, after {@code \r \n \t \\ \xHH} escapes, and
 *       reads {@code N} replies: inline requests, pipelines and protocol errors.</li>
 *   <li>{@code @closed}: both servers have closed the connection; the session goes on over new ones.</li>
 *   <li>{@code @reconnect}: the session goes on over new connections (RESP2, no name).</li>
 *   <li>{@code @differs reason}: the next step's replies are read but must differ, for the reason given: an
 *       intended difference (docs/redis.md, "What differs from Redis") kept in a session for the state it
 *       leaves or to show it.</li>
 *   <li>Blank lines and lines starting with {@code #} are comments.</li>
 * </ul>
 * Leading and trailing blanks of a line are ignored: an {@code @raw} line writes {@code \x20} for a last space.
 *
 * @param name the file name, for messages
 * @param steps the steps in file order
 */
record DifferentialSession(String name, List<Step> steps) {

    /** What a step does to both connections. */
    enum Kind { SEND, CLOSED, RECONNECT }

    /**
     * One line of a session.
     *
     * @param line its line number, for messages
     * @param source the line as written, for messages
     * @param request the bytes to send ({@link Kind#SEND})
     * @param replies how many replies to read and compare ({@link Kind#SEND})
     * @param words the command's first two arguments in lowercase ({@code client id}); empty for a raw step
     * @param differs why the replies must differ, or {@code null} when they must be identical
     */
    record Step(int line, String source, Kind kind, byte[] request, int replies, List<String> words,
                String differs) {
    }

    static DifferentialSession read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Step> steps = new ArrayList<>();
        String differs = null;
        for (int i = 0; i < lines.size(); i++) {
            String source = lines.get(i);
            String text = source.strip();
            int number = i + 1;
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("@differs")) {
                differs = text.substring("@differs".length()).strip();
                if (differs.isEmpty()) {
                    throw malformed(file, number, "@differs needs the reason the replies differ");
                }
                continue;
            }
            Step step = parse(file, number, source, text, differs);
            if (differs != null && step.kind() != Kind.SEND) {
                throw malformed(file, number, "@differs must precede a command or @raw");
            }
            steps.add(step);
            differs = null;
        }
        return new DifferentialSession(file.getFileName().toString(), List.copyOf(steps));
    }

    private static Step parse(Path file, int number, String source, String text, String differs) {
        if (text.equals("@closed")) {
            return new Step(number, source, Kind.CLOSED, null, 0, List.of(), null);
        }
        if (text.equals("@reconnect")) {
            return new Step(number, source, Kind.RECONNECT, null, 0, List.of(), null);
        }
        if (text.startsWith("@raw ")) {
            String[] parts = text.split(" ", 3);
            if (parts.length < 3 || !parts[1].matches("\\d+")) {
                throw malformed(file, number, "expected @raw <replies> <bytes>");
            }
            return new Step(number, source, Kind.SEND, unescape(parts[2]), Integer.parseInt(parts[1]), List.of(),
                    differs);
        }
        if (text.startsWith("@")) {
            throw malformed(file, number, "unknown directive " + text.split(" ")[0]);
        }
        List<byte[]> arguments;
        try {
            arguments = InlineArguments.split(text.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw malformed(file, number, e.getMessage());
        }
        List<String> words = arguments.stream().limit(2).map(Arguments::lowercase).toList();
        return new Step(number, source, Kind.SEND, multibulk(arguments), 1, words, differs);
    }

    private static byte[] multibulk(List<byte[]> arguments) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + arguments.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] argument : arguments) {
            request.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(argument);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        return request.toByteArray();
    }

    /** The bytes of a raw step: UTF-8 text with {@code \r \n \t \\ \xHH} escapes. */
    static byte[] unescape(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '\\' || i + 1 == in.length) {
                out.write(in[i]);
                continue;
            }
            byte escaped = in[++i];
            switch (escaped) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    if (i + 2 >= in.length) {
                        throw new IllegalArgumentException("\\x needs two hex digits: " + text);
                    }
                    out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + (char) escaped + " in " + text);
            }
        }
        return out.toByteArray();
    }

    /** {@code bytes} as one readable line: printable ASCII as it is, everything else escaped as in the files. */
    static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            switch (b) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\\' -> text.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        text.append((char) b);
                    } else {
                        text.append(String.format("\\x%02x", b & 0xff));
                    }
                }
            }
        }
        return text.toString();
    }

    private static IllegalArgumentException malformed(Path file, int line, String problem) {
        return new IllegalArgumentException(file.getFileName() + ":" + line + ": " + problem);
    }
}
