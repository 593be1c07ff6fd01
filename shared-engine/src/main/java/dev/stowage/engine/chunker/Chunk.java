package dev.stowage.engine.chunker;

import dev.stowage.engine.BufferPool;

/**
 * One chunk: {@code data[0, length)}. The array may be longer and may come from a
 * {@link BufferPool}, to which the consumer gives it back when done.
 */
public record Chunk(byte[] data, int length) {
}
