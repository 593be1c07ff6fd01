/** restic-style include and exclude patterns. */
package dev.stowage.engine.filter;
