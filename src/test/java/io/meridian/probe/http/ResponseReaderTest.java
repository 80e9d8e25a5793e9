package io.meridian.probe.http;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseReaderTest {

    private static ResponseReader.State feedByteByByte(ResponseReader r, String wire) {
        ResponseReader.State s = ResponseReader.State.HEAD;
        for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
            s = r.feed(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        return s;
    }

    @Test
    void readsStatusAndALengthDelimitedBodyEvenOneByteAtATime() {
        ResponseReader r = new ResponseReader(1024);
        assertThat(feedByteByByte(r, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")).isEqualTo(ResponseReader.State.DONE);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
    }

    @Test
    void dechunksAChunkedBody() {
        ResponseReader r = new ResponseReader(1024);
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
        assertThat(feedByteByByte(r, wire)).isEqualTo(ResponseReader.State.DONE);
        assertThat(r.body()).isEqualTo("hello, world");
    }

    @Test
    void readsNoMoreThanMaxBodyBytes() {
        ResponseReader r = new ResponseReader(4);
        assertThat(r.feed(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nabcdefgh", StandardCharsets.US_ASCII)))
                .isEqualTo(ResponseReader.State.BODY);
        assertThat(r.body()).isEqualTo("abcd");
        assertThat(r.bodyFull()).isTrue();
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() {
        ResponseReader r = new ResponseReader(100);
        assertThat(r.feed(Unpooled.copiedBuffer("HTTP/1.0 503 Busy\r\n\r\nlater", StandardCharsets.US_ASCII))).isEqualTo(ResponseReader.State.BODY);
        assertThat(r.closed()).isEqualTo(ResponseReader.State.DONE);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("later");
    }

    @Test
    void somethingThatIsNotHttpIsMalformed() {
        ResponseReader r = new ResponseReader(100);
        assertThat(r.feed(Unpooled.copiedBuffer("SSH-2.0-OpenSSH_9.2\r\n", StandardCharsets.US_ASCII))).isEqualTo(ResponseReader.State.MALFORMED);
        assertThat(r.problem()).contains("not an HTTP response").contains("SSH-2.0");
        ResponseReader bad = new ResponseReader(100);
        assertThat(bad.feed(Unpooled.copiedBuffer("HTTP/1.1 abc\r\n\r\n", StandardCharsets.US_ASCII))).isEqualTo(ResponseReader.State.MALFORMED);
        ResponseReader chunk = new ResponseReader(100);
        assertThat(chunk.feed(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", StandardCharsets.US_ASCII)))
                .isEqualTo(ResponseReader.State.MALFORMED);
    }

    @Test
    void aBodylessStatusIsDoneAtTheHead() {
        ResponseReader r = new ResponseReader(100);
        assertThat(r.feed(Unpooled.copiedBuffer("HTTP/1.1 204 No Content\r\n\r\n", StandardCharsets.US_ASCII))).isEqualTo(ResponseReader.State.DONE);
    }
}
