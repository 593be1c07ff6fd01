/**
 * restic's {@code forget}: the snapshot retention policy (restic 0.14 semantics, implemented from
 * the format notes, not from restic's code), grouping, and removal of snapshot files.
 */
package dev.stowage.engine.forget;
