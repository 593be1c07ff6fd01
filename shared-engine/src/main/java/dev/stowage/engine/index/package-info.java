/** Index files, which map blobs to the packs holding them, and the merged in-memory index. */
package dev.stowage.engine.index;
