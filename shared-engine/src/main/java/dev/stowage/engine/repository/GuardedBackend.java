package dev.stowage.engine.repository;

import dev.stowage.engine.backend.Backend;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.Handle;
import dev.stowage.engine.backend.TempFile;
import java.io.IOException;
import java.util.List;

/**
 * The repository's view of its backend: every call first asks the guards, except calls on lock
 * files, which a holder must still be able to refresh and remove after its lock was lost.
 */
final class GuardedBackend implements Backend {
    private final Backend backend;
    private final List<AccessGuard> guards;

    GuardedBackend(Backend backend, List<AccessGuard> guards) {
        this.backend = backend;
        this.guards = guards;
    }

    private void check(FileType type) {
        if (type != FileType.LOCK) {
            for (AccessGuard g : guards) {
                g.check();
            }
        }
    }

    @Override
    public String location() {
        return backend.location();
    }

    @Override
    public int connections() {
        return backend.connections();
    }

    @Override
    public boolean listsNewFilesAtOnce() {
        return backend.listsNewFilesAtOnce();
    }

    @Override
    public void create() throws IOException {
        check(FileType.CONFIG);
        backend.create();
    }

    @Override
    public void save(Handle handle, List<byte[]> parts) throws IOException {
        check(handle.type());
        backend.save(handle, parts);
    }

    @Override
    public PendingFile create(FileType type) throws IOException {
        check(type);
        PendingFile file = backend.create(type);
        return new PendingFile() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
            }

            @Override
            public long size() {
                return file.size();
            }

            @Override
            public void commit(Handle handle) throws IOException {
                // a pack may be filled for minutes: ask again before it becomes visible
                check(handle.type());
                file.commit(handle);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public byte[] load(Handle handle) throws IOException {
        check(handle.type());
        return backend.load(handle);
    }

    @Override
    public byte[] load(Handle handle, long offset, int length) throws IOException {
        check(handle.type());
        return backend.load(handle, offset, length);
    }

    @Override
    public void load(Handle handle, long offset, byte[] into, int length) throws IOException {
        check(handle.type());
        backend.load(handle, offset, into, length);
    }

    @Override
    public long size(Handle handle) throws IOException {
        check(handle.type());
        return backend.size(handle);
    }

    @Override
    public boolean exists(Handle handle) throws IOException {
        check(handle.type());
        return backend.exists(handle);
    }

    @Override
    public List<String> list(FileType type) throws IOException {
        check(type);
        return backend.list(type);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        check(handle.type());
        backend.remove(handle);
    }

    @Override
    public List<TempFile> listTemporary() throws IOException {
        check(FileType.PACK);
        return backend.listTemporary();
    }

    @Override
    public void removeTemporary(TempFile file) throws IOException {
        check(FileType.PACK);
        backend.removeTemporary(file);
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }
}
