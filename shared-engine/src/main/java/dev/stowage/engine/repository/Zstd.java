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
        ZstdCompressCtx ctx = borrowCompressor(level);
        try {
            return ctx.compress(plain);
        } finally {
            compressors.addFirst(ctx);
        }
    }

    /** The most a frame of {@code length} bytes of input can take. */
    static int bound(int length) {
        return Math.toIntExact(com.github.luben.zstd.Zstd.compressBound(length));
    }

    /**
     * Compresses {@code src[off, off+len)} into {@code dst} from {@code dstOff}, which must have
     * {@link #bound(int)} bytes of room; returns the frame's length.
     */
    int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int level) {
        ZstdCompressCtx ctx = borrowCompressor(level);
        try {
            return ctx.compressByteArray(dst, dstOff, dst.length - dstOff, src, off, len);
        } finally {
            compressors.addFirst(ctx);
        }
    }

    private ZstdCompressCtx borrowCompressor(int level) {
        ZstdCompressCtx ctx = compressors.pollFirst();
        if (ctx == null) {
            ctx = new ZstdCompressCtx();
        }
        ctx.setLevel(level);
        return ctx;
    }

    /** Decompresses the frame {@code frame[off, off+len)} whose plaintext length is known (blobs). */
    byte[] decompress(byte[] frame, int off, int len, int plainLength, String what) {
        byte[] out = new byte[plainLength];
        decompress(frame, off, len, out, plainLength, what);
        return out;
    }

    /** Decompresses the frame {@code frame[off, off+len)} into {@code out[0, plainLength)}. */
    void decompress(byte[] frame, int off, int len, byte[] out, int plainLength, String what) {
        ZstdDecompressCtx ctx = decompressors.pollFirst();
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        try {
            int n = ctx.decompressByteArray(out, 0, plainLength, frame, off, len);
            if (n != plainLength) {
                throw new StowageException(what + " decompressed to " + n + " bytes, expected " + plainLength);
            }
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
