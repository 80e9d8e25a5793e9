package io.meridian.probe.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads an HTTP/1.1 response as bytes arrive, as far as a probe needs: the status, then (only when
 * the check looks into the body) the first {@code maxBody} bytes of the body, de-chunked. No I/O:
 * feed it what the socket read, ask what it knows. Headers beyond 16 KiB or a status line that is
 * not HTTP make it {@link State#MALFORMED}.
 */
final class ResponseReader {

    enum State { HEAD, BODY, DONE, MALFORMED }

    private static final int MAX_HEAD = 16 * 1024;

    private final int maxBody;
    private final ByteBuf in = Unpooled.buffer();
    private final StringBuilder body = new StringBuilder();
    private State state = State.HEAD;
    private int status = -1;
    private String problem = "";
    private long contentLength = -1;
    private boolean chunked;
    private long chunkLeft = -1;
    private int bodyBytes;

    ResponseReader(int maxBody) {
        this.maxBody = maxBody;
    }

    /** Takes the next bytes from the socket; returns the state after them. */
    State feed(ByteBuf chunk) {
        if (state == State.DONE || state == State.MALFORMED) {
            return state;
        }
        in.writeBytes(chunk);
        if (state == State.HEAD) {
            readHead();
        }
        if (state == State.BODY) {
            readBody();
        }
        if (in.readerIndex() > 64 * 1024) {
            in.discardReadBytes();
        }
        return state;
    }

    /** The connection closed: a close-delimited body is complete now. */
    State closed() {
        if (state == State.BODY && !chunked && contentLength < 0) {
            state = State.DONE;
        }
        return state;
    }

    int status() {
        return status;
    }

    /** The body read so far (at most {@code maxBody} bytes, as UTF-8 text). */
    String body() {
        return body.toString();
    }

    int bodyBytes() {
        return bodyBytes;
    }

    /** True once {@code maxBody} bytes of body were read (the rest is never read). */
    boolean bodyFull() {
        return bodyBytes >= maxBody;
    }

    String problem() {
        return problem;
    }

    private void readHead() {
        int end = indexOf(in, "\r\n\r\n");
        if (end < 0) {
            if (in.readableBytes() >= 5 && !startsWith(in, "HTTP/")) {
                malformed("not an HTTP response: '" + printable(in, 40) + "'");
            } else if (in.readableBytes() > MAX_HEAD) {
                malformed("response headers longer than " + MAX_HEAD + " bytes");
            }
            return;
        }
        String head = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
        in.readerIndex(end + 4);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("[1-5][0-9][0-9]")) {
            malformed("not an HTTP status line: '" + lines[0].substring(0, Math.min(lines[0].length(), 60)) + "'");
            return;
        }
        status = Integer.parseInt(statusLine[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    malformed("Content-Length '" + value + "'");
                    return;
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        state = status == 204 || status == 304 || status < 200 || contentLength == 0 ? State.DONE : State.BODY;
    }

    private void readBody() {
        while (state == State.BODY && in.isReadable() && !bodyFull()) {
            if (!chunked) {
                long want = contentLength < 0 ? in.readableBytes() : Math.min(in.readableBytes(), contentLength - bodyBytes);
                take((int) want);
                if (contentLength >= 0 && bodyBytes >= contentLength) {
                    state = State.DONE;
                }
            } else if (chunkLeft > 0) {
                int n = (int) Math.min(chunkLeft, in.readableBytes());
                take(n);
                chunkLeft -= n;
            } else {
                // The size line of the next chunk (after the CRLF that ends the previous one).
                if (chunkLeft == 0) {
                    if (in.readableBytes() < 2) {
                        return;
                    }
                    in.skipBytes(2);
                    chunkLeft = -1;
                }
                int eol = indexOf(in, "\r\n");
                if (eol < 0) {
                    return;
                }
                String size = in.toString(in.readerIndex(), eol - in.readerIndex(), StandardCharsets.ISO_8859_1).split(";")[0].trim();
                in.readerIndex(eol + 2);
                try {
                    chunkLeft = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    malformed("chunk size '" + size + "'");
                    return;
                }
                if (chunkLeft == 0) {
                    state = State.DONE;
                }
            }
        }
    }

    private void take(int n) {
        int keep = Math.min(n, maxBody - bodyBytes);
        body.append(in.toString(in.readerIndex(), keep, StandardCharsets.UTF_8));
        bodyBytes += keep;
        in.skipBytes(n);
    }

    private void malformed(String why) {
        state = State.MALFORMED;
        problem = why;
    }

    private static boolean startsWith(ByteBuf b, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (b.getByte(b.readerIndex() + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuf b, String needle) {
        outer:
        for (int i = b.readerIndex(); i <= b.writerIndex() - needle.length(); i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (b.getByte(i + j) != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(ByteBuf b, int max) {
        String s = b.toString(b.readerIndex(), Math.min(max, b.readableBytes()), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
