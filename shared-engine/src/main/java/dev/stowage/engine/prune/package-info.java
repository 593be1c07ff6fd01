/** {@code prune}: removing unreferenced data and repacking partly used packs, as restic 0.14 does. */
package dev.stowage.engine.prune;
