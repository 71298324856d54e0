package io.github.resilientcache.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal blocking RESP2 client over a plain socket, so the test support never depends on the client library under test.
 *
 * <p>Replies map to {@code String} (simple and bulk strings), {@code Long} (integers), {@code List<Object>} (arrays) and
 * {@code null} (nil). A top-level error reply is thrown as {@link RedisErrorReply}; an error nested in an array (e.g. in an
 * {@code EXEC} result) is returned as a {@link RedisErrorReply} element. I/O failures, including read timeouts, are thrown
 * as {@link UncheckedIOException} whose cause is the original exception ({@code ConnectException},
 * {@code SocketTimeoutException}, ...). After an I/O failure the connection is closed: a late reply could otherwise be
 * read as the answer to the next command.
 */
public final class RespClient implements AutoCloseable {

    private static final byte[] CRLF = {'\r', '\n'};

    private final String target;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean closed;

    private RespClient(String target, Socket socket) throws IOException {
        this.target = target;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects with {@code timeout} as both the connect timeout and the read timeout of every command. */
    public static RespClient connect(String host, int port, Duration timeout) {
        String target = host + ":" + port;
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            socket.connect(new InetSocketAddress(host, port), millis);
            return new RespClient(target, socket);
        }
        catch (IOException ex) {
            closeQuietly(socket);
            throw new UncheckedIOException("Cannot connect to Redis at " + target + ": " + ex, ex);
        }
    }

    /** Sends the arguments as a RESP array of UTF-8 bulk strings and returns the parsed reply. */
    public synchronized Object command(String... args) {
        byte[][] encoded = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            encoded[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return exchange(args.length == 0 ? "" : args[0], encoded, false);
    }

    /** Binary-safe variant of {@link #command}: bulk strings in the reply come back as {@code byte[]} instead of String. */
    public synchronized Object commandBytes(byte[]... args) {
        String name = args.length == 0 ? "" : new String(args[0], StandardCharsets.UTF_8);
        return exchange(name, args, true);
    }

    public String target() {
        return target;
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(socket);
    }

    private Object exchange(String commandName, byte[][] args, boolean rawBulk) {
        if (args.length == 0) {
            throw new IllegalArgumentException("A Redis command needs at least a name");
        }
        if (closed) {
            throw new IllegalStateException("RespClient to " + target + " is closed (an earlier command failed or close() was called)");
        }
        Object reply;
        try {
            write(args);
            reply = read(rawBulk);
        }
        catch (IOException | RuntimeException ex) {
            close();
            if (ex instanceof IOException io) {
                throw new UncheckedIOException("Redis command " + commandName + " to " + target + " failed: " + ex, io);
            }
            throw (RuntimeException) ex;
        }
        if (reply instanceof RedisErrorReply error) {
            throw new RedisErrorReply(error.getMessage());
        }
        return reply;
    }

    private void write(byte[][] args) throws IOException {
        out.write('*');
        out.write(ascii(args.length));
        out.write(CRLF);
        for (byte[] arg : args) {
            out.write('$');
            out.write(ascii(arg.length));
            out.write(CRLF);
            out.write(arg);
            out.write(CRLF);
        }
        out.flush();
    }

    private Object read(boolean rawBulk) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Connection closed by the server");
        }
        switch (type) {
            case '+':
                return readLine();
            case '-':
                return new RedisErrorReply(readLine());
            case ':':
                return Long.parseLong(readLine());
            case '$':
                return readBulk(rawBulk);
            case '*':
                return readArray(rawBulk);
            default:
                throw new IOException("Unexpected RESP type byte '" + (char) type + "' from " + target);
        }
    }

    private Object readBulk(boolean raw) throws IOException {
        int length = Integer.parseInt(readLine());
        if (length < 0) {
            return null;
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Truncated bulk string from " + target);
        }
        return raw ? data : new String(data, StandardCharsets.UTF_8);
    }

    private Object readArray(boolean rawBulk) throws IOException {
        int size = Integer.parseInt(readLine());
        if (size < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(read(rawBulk));
        }
        return items;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new EOFException("Connection closed by the server mid-reply");
            }
            line.write(b);
        }
        if (in.read() != '\n') {
            throw new IOException("Malformed RESP line from " + target);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(int value) {
        return Integer.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Nothing useful to do: the socket is being discarded.
        }
    }
}
