package dev.stowage.engine.backend;

import java.io.IOException;
import java.util.List;

/**
 * Where a repository's files live. Implementations keep restic's default layout, so restic and
 * Stowage can use the same repository. All methods are safe to call from several threads.
 */
public interface Backend extends AutoCloseable {
    /** A human-readable location, used in messages. */
    String location();

    /** Creates the directory structure of an empty repository; fails if a config already exists. */
    void create() throws IOException;

    /**
     * Stores {@code data} under {@code handle} atomically: the file is never visible under its final
     * name until it is complete and durable.
     */
    default void save(Handle handle, byte[] data) throws IOException {
        save(handle, List.of(data));
    }

    /** Stores the concatenation of {@code parts}, atomically like {@link #save(Handle, byte[])}. */
    void save(Handle handle, List<byte[]> parts) throws IOException;

    /**
     * Starts a file of unknown name and size (a pack being filled). Its bytes go to storage as
     * they are written; it becomes visible only when {@link PendingFile#commit} names it.
     */
    PendingFile create(FileType type) throws IOException;

    /** A file being written; closing it without a commit discards it. Not thread-safe. */
    interface PendingFile extends AutoCloseable {
        void write(byte[] b, int off, int len) throws IOException;

        /** Bytes written so far. */
        long size();

        /** Makes the file durable and visible under {@code handle}, atomically. */
        void commit(Handle handle) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The whole file. */
    byte[] load(Handle handle) throws IOException;

    /** {@code length} bytes from {@code offset}; fails if the file is shorter. */
    byte[] load(Handle handle, long offset, int length) throws IOException;

    /**
     * {@code length} bytes from {@code offset} into {@code into[0, length)}; fails if the file is
     * shorter. Saves an array per read where the backend reads straight into it (the local one).
     */
    default void load(Handle handle, long offset, byte[] into, int length) throws IOException {
        System.arraycopy(load(handle, offset, length), 0, into, 0, length);
    }

    /** The file's size in bytes. */
    long size(Handle handle) throws IOException;

    boolean exists(Handle handle) throws IOException;

    /** Names of the files of this type; names that are not valid IDs (temporary files) are skipped. */
    List<String> list(FileType type) throws IOException;

    void remove(Handle handle) throws IOException;

    /**
     * How many files writers should upload at once (restic's per-backend connection count): the
     * backend serves that many requests in parallel.
     */
    default int connections() {
        return 2;
    }

    /**
     * Whether every client lists a file as soon as saving it has returned, as one machine's file
     * system does. Where this is false (object stores, some of which list new objects late),
     * locking waits before its second look for other locks, as restic does.
     */
    default boolean listsNewFilesAtOnce() {
        return false;
    }

    /**
     * Temporary files that interrupted writes left in the repository (a killed backup's unfinished
     * pack, say). Backends whose writes never leave any, such as S3 (one PUT per file), have none.
     */
    default List<TempFile> listTemporary() throws IOException {
        return List.of();
    }

    /** Removes one of the files {@link #listTemporary()} listed; gone already is fine. */
    default void removeTemporary(TempFile file) throws IOException {
        throw new IOException(location() + " has no temporary files");
    }

    @Override
    void close() throws IOException;
}
