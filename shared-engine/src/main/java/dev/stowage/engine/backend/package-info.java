/** Storage of repository files: the {@link dev.stowage.engine.backend.Backend} contract and its implementations. */
package dev.stowage.engine.backend;
