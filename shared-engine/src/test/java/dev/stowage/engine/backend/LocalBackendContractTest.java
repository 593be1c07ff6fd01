package dev.stowage.engine.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract on a local directory. */
class LocalBackendContractTest extends BackendContractTest {
    @TempDir
    Path tmp;

    @Override
    protected Backend newBackend() {
        return new LocalBackend(tmp.resolve("repo"));
    }

    @Override
    protected void writeStray(String path, byte[] content) throws Exception {
        Path file = tmp.resolve("repo").resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
