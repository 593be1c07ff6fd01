/** POSIX file metadata: lstat, owners, extended attributes, special files and raw-byte names. */
package dev.stowage.engine.fs;
