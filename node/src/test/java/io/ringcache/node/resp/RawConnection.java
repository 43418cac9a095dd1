package io.ringcache.node.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A RESP connection at the byte level: sends exactly what a test gives and reads replies back as raw text. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The client's own port on 127.0.0.1. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** A multibulk request of {@code arguments}, as clients send them. */
    static byte[] command(String... arguments) {
        StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A multibulk request of {@code arguments} as they are, for bytes that are not UTF-8. */
    static byte[] command(byte[]... arguments) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + arguments.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] argument : arguments) {
            request.writeBytes(("$" + argument.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(argument);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        return request.toByteArray();
    }

    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Ends what this client sends (a TCP half-close, as {@code nc -N} does after its input) and keeps reading. */
    RawConnection endInput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** One complete reply, exactly as sent (CR LF included), however it is nested. */
    String readReply() throws IOException {
        return new String(readReplyBytes(), StandardCharsets.UTF_8);
    }

    /** One complete reply byte for byte, for comparisons that must not go through a charset. */
    byte[] readReplyBytes() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readInto(reply);
        return reply.toByteArray();
    }

    private void readInto(ByteArrayOutputStream reply) throws IOException {
        byte[] line = readLine();
        reply.writeBytes(line);
        char type = (char) line[0];
        String header = new String(line, 1, line.length - 3, StandardCharsets.US_ASCII);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(header);
                if (length >= 0) {
                    reply.writeBytes(in.readNBytes(length + 2));
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(header);
                for (int i = 0; i < count; i++) {
                    readInto(reply);
                }
            }
            case '%' -> {
                int count = Integer.parseInt(header);
                for (int i = 0; i < 2 * count; i++) {
                    readInto(reply);
                }
            }
            default -> {
                // +, -, :, _ and the other one-line types are complete.
            }
        }
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection after "
                        + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
            if (previous == '\r' && b == '\n') {
                return line.toByteArray();
            }
            previous = b;
        }
    }

    /**
     * Whether the server has closed the connection (after everything it sent before has been read). A reset
     * counts: a server that closes with unread input left (Redis after a protocol error) resets the connection.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
