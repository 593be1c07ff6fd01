/** Pack files: encrypted blobs followed by an encrypted header listing them. */
package dev.stowage.engine.pack;
