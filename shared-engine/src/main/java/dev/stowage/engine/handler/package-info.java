/**
 * The functions' logic, one {@link dev.stowage.engine.event.EventHandler} per function: resolve
 * the request (inline, or a session through the Kubernetes API), run the engine, and build the
 * reply event. Function modules only adapt HTTP to these handlers.
 */
package dev.stowage.engine.handler;
