package dev.stowage.engine.chunker;

import java.nio.file.Path;

/** Location of the shared golden data (../shared beside the project). */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        String prop = System.getProperty("stowage.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared");
        return p.toAbsolutePath().normalize();
    }
}
