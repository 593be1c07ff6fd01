/** Backups: walking directory trees or reading a stream into blobs, trees and a snapshot. */
package dev.stowage.engine.archiver;
