package dev.stowage.engine.archiver;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running backup, read by whoever displays progress. Thread-safe. */
public final class BackupProgress {
    private final boolean countAhead;
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong filesTotal = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong();
    volatile boolean scanFinished;

    /**
     * @param countAhead walk the targets once more in the background to count files and bytes,
     *                   for an ETA; costs a second lstat per file, so only worth it when shown
     */
    public BackupProgress(boolean countAhead) {
        this.countAhead = countAhead;
    }

    public boolean countAhead() {
        return countAhead;
    }

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
