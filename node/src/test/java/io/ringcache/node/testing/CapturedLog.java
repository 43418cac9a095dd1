package io.ringcache.node.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records what one logger category writes at INFO and above while a test runs. */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
        setLevel(Level.INFO);
        logger.addHandler(this);
    }

    public static CapturedLog of(Class<?> category) {
        return new CapturedLog(Logger.getLogger(category.getName()));
    }

    /** Formatted messages logged at exactly {@code level}. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(CapturedLog::text).toList();
    }

    /** Records above INFO that carry a stack trace. */
    public List<LogRecord> stackTraces() {
        return records.stream().filter(r -> r.getThrown() != null && r.getLevel().intValue() > Level.INFO.intValue()).toList();
    }

    private static String text(LogRecord r) {
        Object[] params = r.getParameters();
        String message = r.getMessage();
        return params == null || params.length == 0 ? message : String.format(message, params);
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
