/** Restores: snapshots back into directories, and single files to a stream. */
package dev.stowage.engine.restorer;
