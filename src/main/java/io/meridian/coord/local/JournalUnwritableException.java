package io.meridian.coord.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The journal cannot be written (disk full, read-only, permissions): a change that must be journaled is refused. */
public final class JournalUnwritableException extends UncheckedIOException {

    public JournalUnwritableException(Path file, IOException cause) {
        super("the journal " + file + " cannot be written: " + cause.getMessage(), cause);
    }
}
