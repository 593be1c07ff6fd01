/** JSON, string quoting and time formats exactly as Go (and so restic) writes them. */
package dev.stowage.engine.json;
