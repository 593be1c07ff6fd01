package dev.stowage.engine.backend;

import java.time.Instant;

/**
 * A temporary file an interrupted write left in the repository. Its name is not an ID, so no
 * reader (Stowage or restic) takes it for a repository file; it only wastes space.
 *
 * @param path     relative to the repository root, e.g. {@code data/ab/tmp-3k1x}
 * @param size     bytes
 * @param modified last modification: a writer still filling it keeps this recent
 */
public record TempFile(String path, long size, Instant modified) {
}
