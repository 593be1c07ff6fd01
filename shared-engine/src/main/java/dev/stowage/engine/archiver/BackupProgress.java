package dev.stowage.engine.archiver;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running backup, read by whoever displays progress. Thread-safe. */
public final class BackupProgress {
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong filesTotal = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong();
    volatile boolean scanFinished;

    public long filesDone() {
        return filesDone.get();
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    /** Files found by the scan so far (final once {@link #scanFinished()}). */
    public long filesTotal() {
        return filesTotal.get();
    }

    public long bytesTotal() {
        return bytesTotal.get();
    }

    public boolean scanFinished() {
        return scanFinished;
    }
}
