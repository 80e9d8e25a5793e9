package io.meridian.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.meridian.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging:} of meridian.yaml to logback, before the daemon starts: text lines as the
 * default configuration writes them, or logback's JSON lines (timestamp, level, loggerName,
 * formattedMessage, and a decision's fields in {@code kvpList}); the root level and the levels per package. The quiet
 * defaults for Netty and Vert.x stay unless a level names them.
 */
public final class LogSetup {

    static final String TEXT = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} [%level] %logger{0} - %msg%n";

    private LogSetup() {
    }

    /** The levels logback.xml sets: what a package goes back to when a reload drops its level. */
    private static final java.util.Map<String, Level> QUIET = java.util.Map.of("io.netty", Level.WARN, "io.vertx", Level.WARN,
            "io.vertx.core.net.impl.ConnectionBase", Level.OFF);

    public static void apply(LoggingConfig config) {
        apply(LoggingConfig.defaults(), config);
    }

    /** A reload from {@code was}: a package whose level it drops goes back to its default. */
    public static void apply(LoggingConfig was, LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J backend (a test's): leave it as it is
        }
        was.levels().keySet().stream().filter(name -> !config.levels().containsKey(name))
                .forEach(name -> ctx.getLogger(name).setLevel(QUIET.get(name)));
        Encoder<ILoggingEvent> encoder;
        if (config.json()) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false); // the pattern with {} ...
            json.setWithArguments(false);
            json.setWithFormattedMessage(true); // ... filled in, as "formattedMessage"
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT);
            encoder = text;
        }
        encoder.setContext(ctx);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("meridian");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        config.levels().forEach((name, level) -> ctx.getLogger(name).setLevel(Level.toLevel(level, Level.INFO)));
    }
}
