/**
 * PostgreSQL logical backups: {@code pg_dump}/{@code pg_dumpall} streamed into a stream snapshot,
 * and a snapshot's dump streamed into {@code psql} or {@code pg_restore}. The client programs run
 * as child processes; credentials reach them through the environment, never the command line.
 */
package dev.stowage.engine.postgres;
