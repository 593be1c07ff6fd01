package dev.stowage.engine.restorer;

import java.util.List;

/**
 * The outcome of a restore.
 *
 * @param bytes       file content written
 * @param directBytes of {@code bytes}, how many were written with direct I/O (past the page cache)
 * @param warnings    metadata that could not be applied (e.g. ownership without root)
 */
public record RestoreResult(long files, long directories, long bytes, long directBytes, List<String> warnings) {
    public RestoreResult {
        warnings = List.copyOf(warnings);
    }
}
