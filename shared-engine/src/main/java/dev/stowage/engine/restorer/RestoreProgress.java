package dev.stowage.engine.restorer;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running restore. Totals are known once planning is done. Thread-safe. */
public final class RestoreProgress {
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    volatile long filesTotal;
    volatile long bytesTotal;

    public long filesDone() {
        return filesDone.get();
    }

    public long bytesDone() {
        return bytesDone.get();
    }

    public long filesTotal() {
        return filesTotal;
    }

    public long bytesTotal() {
        return bytesTotal;
    }
}
