package io.meridian.probe;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Failures of this host are told apart from failures of the target. */
class LocalErrorsTest {

    static {
        io.netty.channel.epoll.Epoll.ensureAvailability(); // Netty's native errno table, as the daemon has it
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> failures() {
        return Stream.of(
                arguments(new ChannelException("Unable to create Channel", new Errors.NativeIoException("newSocketStream", -24)), FailureReason.LOCAL_ERROR),
                arguments(new Errors.NativeIoException("socket", -23), FailureReason.LOCAL_ERROR),
                arguments(new SocketException("Too many open files"), FailureReason.LOCAL_ERROR),
                arguments(new ConnectException("connect(..) failed: Cannot assign requested address"), FailureReason.LOCAL_ERROR),
                arguments(new IOException("No buffer space available"), FailureReason.LOCAL_ERROR),
                arguments(new IllegalStateException("wrapped", new OutOfMemoryError("Direct buffer memory")), FailureReason.LOCAL_ERROR),
                arguments(new ConnectException("Connection refused: /127.0.0.1:9"), FailureReason.CONNECT_REFUSED),
                arguments(new IOException("Connection reset by peer"), FailureReason.RESET),
                arguments(new Errors.NativeIoException("read", -104), FailureReason.RESET),
                arguments(new IllegalStateException("something else"), FailureReason.ERROR));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void classifiesWhoseFailureItIs(Throwable t, FailureReason expected) {
        assertThat(FailureClassifier.classify(t)).isEqualTo(expected);
        assertThat(expected.local()).isEqualTo(FailureClassifier.local(t));
    }

    @ParameterizedTest(name = "timeout {0} ms fired {1} ms late: stalled={2}")
    @CsvSource({"500, 0, false", "500, 99, false", "500, 240, false", "500, 260, true", "150, 101, true", "150, 99, false",
            "2000, 900, false", "2000, 1100, true"})
    void aTimeoutThatFiresFarTooLateIsBlamedOnThisProcess(long timeoutMs, long lateMs, boolean stalled) {
        assertThat(ProbeRun.stalled(Duration.ofMillis(timeoutMs), Duration.ofMillis(lateMs))).isEqualTo(stalled);
    }
}
