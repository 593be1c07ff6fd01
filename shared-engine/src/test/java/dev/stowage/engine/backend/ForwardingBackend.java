package dev.stowage.engine.backend;

import java.io.IOException;
import java.util.List;

/** Passes every call to another backend; tests override the calls they watch or break. */
public abstract class ForwardingBackend implements Backend {
    protected final Backend inner;

    protected ForwardingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void create() throws IOException {
        inner.create();
    }

    @Override
    public void save(Handle handle, List<byte[]> parts) throws IOException {
        inner.save(handle, parts);
    }

    @Override
    public PendingFile create(FileType type) throws IOException {
        return inner.create(type);
    }

    @Override
    public byte[] load(Handle handle) throws IOException {
        return inner.load(handle);
    }

    @Override
    public byte[] load(Handle handle, long offset, int length) throws IOException {
        return inner.load(handle, offset, length);
    }

    @Override
    public void load(Handle handle, long offset, byte[] into, int length) throws IOException {
        inner.load(handle, offset, into, length);
    }

    @Override
    public long size(Handle handle) throws IOException {
        return inner.size(handle);
    }

    @Override
    public boolean exists(Handle handle) throws IOException {
        return inner.exists(handle);
    }

    @Override
    public List<String> list(FileType type) throws IOException {
        return inner.list(type);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        inner.remove(handle);
    }

    @Override
    public int connections() {
        return inner.connections();
    }

    @Override
    public boolean listsNewFilesAtOnce() {
        return inner.listsNewFilesAtOnce();
    }

    @Override
    public List<TempFile> listTemporary() throws IOException {
        return inner.listTemporary();
    }

    @Override
    public void removeTemporary(TempFile file) throws IOException {
        inner.removeTemporary(file);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
