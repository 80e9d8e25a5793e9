package io.meridian.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Unix cron expressions (minute hour day-of-month month day-of-week, in UTC), parsed and stepped by cron-utils. */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronSchedule() {
    }

    /** Why {@code cron} is not a Unix cron expression, if it is not. */
    public static Optional<String> problem(String cron) {
        try {
            PARSER.parse(cron).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The first time after {@code after} that {@code cron} names. */
    public static Optional<Instant> next(String cron, Instant after) {
        return ExecutionTime.forCron(PARSER.parse(cron)).nextExecution(after.atZone(ZoneOffset.UTC)).map(z -> z.toInstant());
    }
}
