package io.ringcache.node.http;

import io.ringcache.node.group.InvalidKeyException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a key from its raw, still percent-encoded path segment. Decoding here rather than in the
 * framework keeps {@code %2F} a slash inside the key, {@code +} a plus (never a space) and malformed
 * UTF-8 a clear error, so every key round-trips byte for byte.
 */
final class KeyPaths {

    private KeyPaths() {
    }

    /**
     * @throws InvalidKeyException for a broken escape or bytes that are not UTF-8
     */
    static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new InvalidKeyException("the key has an incomplete escape at index " + i + "; write % as %25");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidKeyException("the key has a malformed escape at index " + i + "; write % as %25");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidKeyException("the key is not valid UTF-8 once percent-decoded");
        }
    }
}
