package io.ringcache.node.resp;

import io.ringcache.node.group.DecimalIntegers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reading command arguments: keys, integers, option names. */
final class Arguments {

    private Arguments() {
    }

    /**
     * The key in {@code argument}. ringcache keys are UTF-8 strings (the same key over HTTP and RESP), so
     * bytes that are not UTF-8 are refused rather than silently replaced.
     *
     * @throws CommandError for bytes that are not valid UTF-8
     */
    static String key(byte[] argument) {
        for (byte b : argument) {
            if (b < 0) {
                return strictUtf8(argument);
            }
        }
        // Pure ASCII: Latin-1 decoding is the same text and the JDK's fastest path.
        return new String(argument, StandardCharsets.ISO_8859_1);
    }

    /**
     * The canonical decimal integer in {@code argument}.
     *
     * @throws CommandError {@code ERR value is not an integer or out of range}
     */
    static long integer(byte[] argument) {
        try {
            return DecimalIntegers.parse(argument);
        } catch (NumberFormatException e) {
            throw CommandError.notAnInteger();
        }
    }

    /** Whether {@code argument} is {@code lowercaseAscii} in any case. */
    static boolean is(byte[] argument, String lowercaseAscii) {
        if (argument.length != lowercaseAscii.length()) {
            return false;
        }
        for (int i = 0; i < argument.length; i++) {
            if (toLower(argument[i]) != lowercaseAscii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code argument} as text for messages and names, with malformed UTF-8 replaced. */
    static String text(byte[] argument) {
        return new String(argument, StandardCharsets.UTF_8);
    }

    static String lowercase(byte[] argument) {
        return text(argument).toLowerCase(java.util.Locale.ROOT);
    }

    static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static String strictUtf8(byte[] argument) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(argument))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CommandError("ERR invalid key: ringcache keys are UTF-8 strings and these bytes are not UTF-8");
        }
    }
}
