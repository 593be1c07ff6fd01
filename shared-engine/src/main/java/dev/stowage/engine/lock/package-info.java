/** restic-compatible repository locks. */
package dev.stowage.engine.lock;
