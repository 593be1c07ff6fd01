package dev.stowage.engine.pack;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;
import dev.stowage.engine.StowageException;
import dev.stowage.engine.crypto.CryptoKey;
import java.util.ArrayList;
import java.util.List;

/** restic's pack header: encoding, decoding and size arithmetic. */
public final class PackFormat {
    /** Header entry size of an uncompressed blob (type, length, ID). */
    public static final int ENTRY_SIZE = 37;
    /** Header entry size of a compressed blob (type, length, plaintext length, ID). */
    public static final int COMPRESSED_ENTRY_SIZE = 41;
    /** Largest header restic accepts (16 MiB plus the length field). */
    public static final int MAX_HEADER_SIZE = 16 * 1024 * 1024 + 4;

    private PackFormat() {
    }

    static int entrySize(PackedBlob b) {
        return b.compressed() ? COMPRESSED_ENTRY_SIZE : ENTRY_SIZE;
    }

    /** Size a pack holding exactly these blobs must have. */
    public static long packSize(List<PackedBlob> blobs) {
        long size = CryptoKey.OVERHEAD + 4;
        for (PackedBlob b : blobs) {
            size += b.length() + entrySize(b);
        }
        return size;
    }

    static byte[] encodeHeader(List<PackedBlob> blobs) {
        int size = 0;
        for (PackedBlob b : blobs) {
            size += entrySize(b);
        }
        byte[] h = new byte[size];
        int p = 0;
        for (PackedBlob b : blobs) {
            int type = b.type() == BlobType.DATA ? 0 : 1;
            h[p++] = (byte) (b.compressed() ? type + 2 : type);
            putInt(h, p, b.length());
            p += 4;
            if (b.compressed()) {
                putInt(h, p, b.uncompressedLength());
                p += 4;
            }
            b.id().writeTo(h, p);
            p += Id.LENGTH;
        }
        return h;
    }

    /**
     * Reads the header of a complete pack file.
     *
     * @param name used in error messages
     */
    public static List<PackedBlob> readHeader(byte[] pack, CryptoKey key, String name) {
        if (pack.length < ENTRY_SIZE + CryptoKey.OVERHEAD + 4) {
            throw new StowageException("pack " + name + " is truncated: " + pack.length + " bytes is too small for a pack");
        }
        long headerLen = getInt(pack, pack.length - 4) & 0xffffffffL;
        if (headerLen < CryptoKey.OVERHEAD + ENTRY_SIZE || headerLen > pack.length - 4L || headerLen + 4 > MAX_HEADER_SIZE) {
            throw new StowageException("pack " + name + " is damaged: header length " + headerLen
                    + " does not fit the file size " + pack.length);
        }
        int headerStart = pack.length - 4 - (int) headerLen;
        byte[] header;
        try {
            header = key.open(pack, headerStart, (int) headerLen);
        } catch (StowageException e) {
            throw new StowageException("pack " + name + " is damaged: its header fails authentication", e);
        }
        List<PackedBlob> blobs = new ArrayList<>();
        long offset = 0;
        int p = 0;
        while (p < header.length) {
            int type = header[p] & 0xff;
            if (type > 3) {
                throw new StowageException("pack " + name + " is damaged: unknown blob type " + type + " in header");
            }
            boolean compressed = type >= 2;
            int need = compressed ? COMPRESSED_ENTRY_SIZE : ENTRY_SIZE;
            if (p + need > header.length) {
                throw new StowageException("pack " + name + " is damaged: header entry is truncated");
            }
            int length = getInt(header, p + 1);
            int plain = compressed ? getInt(header, p + 5) : 0;
            Id id = Id.of(header, p + (compressed ? 9 : 5));
            blobs.add(new PackedBlob((type & 1) == 0 ? BlobType.DATA : BlobType.TREE, id, offset, length, plain));
            offset += length & 0xffffffffL;
            p += need;
        }
        if (offset != headerStart) {
            throw new StowageException("pack " + name + " is damaged: header describes " + offset
                    + " bytes of blobs but the blobs occupy " + headerStart);
        }
        return blobs;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
