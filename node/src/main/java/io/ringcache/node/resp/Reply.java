package io.ringcache.node.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One reply to a client, independent of the protocol version: {@link ReplyEncoder} writes it as RESP2 or RESP3.
 * Types that RESP2 lacks fall back as Redis does: null as a null bulk string, a map as a flat array of keys and
 * values, a set as an array, a verbatim string as a bulk string.
 */
sealed interface Reply {

    Reply OK = new Simple("OK");
    Reply PONG = new Simple("PONG");
    Reply ZERO = new Int(0);
    Reply ONE = new Int(1);
    Reply EMPTY_ARRAY = new Array(List.of());

    /** A status line such as {@code +OK}; never holds CR or LF. */
    record Simple(String text) implements Reply {
        public Simple {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An error line; it starts with its code, e.g. {@code ERR syntax error}. Bytes rather than text: an error may
     * quote a client's argument, which Redis echoes byte for byte whatever its encoding ({@link ErrorLine}).
     */
    record Error(byte[] line) implements Reply {
        public Error {
            // A CR or LF would end the line early and corrupt the stream; Redis replaces them the same way.
            line = line.clone();
            for (int i = 0; i < line.length; i++) {
                if (line[i] == '\r' || line[i] == '\n') {
                    line[i] = ' ';
                }
            }
        }

        /** The line as text, for logs and messages. */
        String text() {
            return new String(line, StandardCharsets.UTF_8);
        }
    }

    record Int(long value) implements Reply {
    }

    /** A binary-safe string; the array is never modified (it may be a value held by the store). */
    record Bulk(byte[] bytes) implements Reply {
        public Bulk {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Text with a three-letter format, e.g. {@code txt} (RESP3 {@code =}; a bulk string in RESP2). */
    record Verbatim(String format, String text) implements Reply {
    }

    /** The null reply: {@code _} in RESP3, the null bulk string {@code $-1} in RESP2. */
    enum Null implements Reply {
        INSTANCE
    }

    record Array(List<Reply> items) implements Reply {
    }

    /** Keys and values alternating: {@code %} in RESP3, a flat array in RESP2. */
    record Map(List<Reply> keysAndValues) implements Reply {
        public Map {
            if (keysAndValues.size() % 2 != 0) {
                throw new IllegalArgumentException("a map needs an even number of items");
            }
        }
    }

    /** {@code ~} in RESP3, an array in RESP2. */
    record Set(List<Reply> items) implements Reply {
    }

    static Reply bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    static Reply bulkOrNull(byte[] bytes) {
        return bytes == null ? Null.INSTANCE : new Bulk(bytes);
    }

    static Error error(String text) {
        return new Error(text.getBytes(StandardCharsets.UTF_8));
    }

    static Reply integer(long value) {
        return value == 0 ? ZERO : value == 1 ? ONE : new Int(value);
    }

    static Reply bool(boolean value) {
        return value ? ONE : ZERO;
    }
}
