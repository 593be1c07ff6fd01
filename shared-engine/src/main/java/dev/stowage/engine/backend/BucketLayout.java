package dev.stowage.engine.backend;

import dev.stowage.engine.Id;

/**
 * restic's repository layout in an object store bucket (S3, GCS), under an optional prefix:
 * {@code <prefix>/config}, {@code <prefix>/keys/<id>}, {@code <prefix>/data/<id[0:2]>/<id>} and
 * so on. Maps repository paths to object names and listed object names back to file names.
 */
final class BucketLayout {
    private final String prefix;

    /** @param prefix the repository's directory in the bucket; null, empty or "/" for its root */
    BucketLayout(String prefix) {
        this.prefix = normalize(prefix);
    }

    /** The prefix without leading or trailing slashes, empty for the bucket's root. */
    static String normalize(String prefix) {
        String s = prefix == null ? "" : prefix;
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }

    String prefix() {
        return prefix;
    }

    /** The object name of a path inside the repository, such as {@code keys/<id>}. */
    String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** The object name prefix under which the files of {@code type} are listed. */
    String listPrefix(FileType type) {
        return key(type.directory()) + "/";
    }

    /**
     * The file name a listed object stands for, or null when the object is not a file of
     * {@code type}: packs are {@code data/<subdirectory>/<id>}, as LocalBackend lists them (a pack
     * directly under {@code data/} is skipped), other files {@code <directory>/<id>}.
     */
    String fileName(FileType type, String objectName) {
        String rest = objectName.substring(listPrefix(type).length());
        if (type == FileType.PACK) {
            int slash = rest.indexOf('/');
            return slash > 0 && rest.indexOf('/', slash + 1) < 0 && Id.isValid(rest.substring(slash + 1))
                    ? rest.substring(slash + 1) : null;
        }
        return Id.isValid(rest) ? rest : null;
    }
}
