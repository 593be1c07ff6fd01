package dev.stowage.engine.repository;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import dev.stowage.engine.StowageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * zstd with reusable native contexts: creating a context per blob costs more than compressing a
 * small blob. Thread-safe; contexts are borrowed per call.
 */
final class Zstd implements AutoCloseable {
    private final ConcurrentLinkedDeque<ZstdCompressCtx> compressors = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<ZstdDecompressCtx> decompressors = new ConcurrentLinkedDeque<>();

    byte[] compress(byte[] plain, int level) {
        ZstdCompressCtx ctx = compressors.pollFirst();
        if (ctx == null) {
            ctx = new ZstdCompressCtx();
        }
        try {
            ctx.setLevel(level);
            return ctx.compress(plain);
        } finally {
            compressors.addFirst(ctx);
        }
    }

    /** Decompresses a frame whose plaintext length is known (blobs). */
    byte[] decompress(byte[] frame, int plainLength, String what) {
        ZstdDecompressCtx ctx = decompressors.pollFirst();
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        try {
            byte[] out = ctx.decompress(frame, plainLength);
            if (out.length != plainLength) {
                throw new StowageException(what + " decompressed to " + out.length + " bytes, expected " + plainLength);
            }
            return out;
        } catch (RuntimeException e) {
            if (e instanceof StowageException se) {
                throw se;
            }
            throw new StowageException(what + " cannot be decompressed: " + e.getMessage(), e);
        } finally {
            decompressors.addFirst(ctx);
        }
    }

    /** Decompresses a frame that may not record its content size (restic's metadata files). */
    static byte[] decompressStream(byte[] frame, int offset, String what) {
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(frame, offset, frame.length - offset))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StowageException(what + " cannot be decompressed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ZstdCompressCtx c; (c = compressors.pollFirst()) != null; ) {
            c.close();
        }
        for (ZstdDecompressCtx d; (d = decompressors.pollFirst()) != null; ) {
            d.close();
        }
    }
}
