package dev.stowage.engine.fs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps each read at 1 MiB. File channels copy through a cached per-thread direct buffer as large
 * as the read, so unbounded reads into large arrays would pin that much native memory per thread.
 */
public final class SlicedInputStream extends FilterInputStream {
    static final int SLICE = 1 << 20;

    public SlicedInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, Math.min(len, SLICE));
    }
}
