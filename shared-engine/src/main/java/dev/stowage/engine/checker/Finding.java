package dev.stowage.engine.checker;

/**
 * One problem (or remark) {@link Checker} found.
 *
 * @param file    the repository file it concerns, as a path in restic's layout ({@code data/ab/abcd…},
 *                {@code index/…}, {@code snapshots/…}), or {@code tree <id>} for a tree blob
 * @param message what is wrong, for a person
 */
public record Finding(Severity severity, String file, String message) {
    /**
     * ERROR makes the check fail; WARNING (wasted space, say) and HINT are worth knowing but do not
     * (restic prints hints and exits 0).
     */
    public enum Severity { ERROR, WARNING, HINT }

    static Finding error(String file, String message) {
        return new Finding(Severity.ERROR, file, message);
    }

    static Finding warning(String file, String message) {
        return new Finding(Severity.WARNING, file, message);
    }

    static Finding hint(String file, String message) {
        return new Finding(Severity.HINT, file, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return switch (severity) {
            case ERROR -> "error: ";
            case WARNING -> "warning: ";
            case HINT -> "hint: ";
        } + file + ": " + message;
    }
}
