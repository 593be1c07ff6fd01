/** An open repository: keys, config, unpacked files, blob reads and buffered blob writes. */
package dev.stowage.engine.repository;
