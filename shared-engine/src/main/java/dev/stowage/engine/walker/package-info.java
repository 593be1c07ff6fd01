/** Walking the trees of a snapshot. */
package dev.stowage.engine.walker;
