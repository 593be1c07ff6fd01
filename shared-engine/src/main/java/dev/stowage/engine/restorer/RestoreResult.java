package dev.stowage.engine.restorer;

import java.util.List;

/**
 * The outcome of a restore.
 *
 * @param warnings metadata that could not be applied (e.g. ownership without root)
 */
public record RestoreResult(long files, long directories, long bytes, List<String> warnings) {
    public RestoreResult {
        warnings = List.copyOf(warnings);
    }
}
