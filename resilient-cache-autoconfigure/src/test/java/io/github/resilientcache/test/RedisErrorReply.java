package io.github.resilientcache.test;

/** A Redis error reply ({@code -ERR ...}, {@code -MOVED ...}) surfaced by {@link RespClient}. */
public final class RedisErrorReply extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisErrorReply(String message) {
        super(message);
    }

    /** The error prefix Redis uses as its code, e.g. {@code ERR}, {@code MOVED}, {@code LOADING}. */
    public String code() {
        String message = getMessage();
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
