/**
 * HTTP adapter shared by every function: CloudEvents in binary or structured mode become engine
 * {@link dev.stowage.engine.event.CloudEvent}s, the engine handler's reply becomes a binary-mode
 * response, and errors become 4xx (the event is wrong) or 5xx (try again). No backup logic here.
 */
package dev.stowage.functions.adapter;
