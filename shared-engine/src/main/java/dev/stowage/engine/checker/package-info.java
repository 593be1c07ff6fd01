/** Repository verification, modelled on restic 0.14's {@code internal/checker}: {@code check} and {@code check --read-data}. */
package dev.stowage.engine.checker;
