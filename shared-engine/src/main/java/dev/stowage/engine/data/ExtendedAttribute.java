package dev.stowage.engine.data;

/** One extended attribute of a file: full name (e.g. {@code user.comment}) and raw value. */
public record ExtendedAttribute(String name, byte[] value) {
}
