/**
 * The CloudEvents contract every function speaks (docs/events.md is its prose form): event types,
 * routing extension attributes, the request and reply data, structured-mode JSON, and the
 * {@link dev.stowage.engine.event.EventHandler} a function adapter calls. Nothing here knows HTTP
 * or Spring; adapters translate their transport into {@link dev.stowage.engine.event.CloudEvent}.
 */
package dev.stowage.engine.event;
