package dev.stowage.engine.golden;

import dev.stowage.engine.BlobType;
import dev.stowage.engine.Id;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code v*repo.MANIFEST.txt}: the decrypted documents of a golden repository, written
 * independently of our code (restic-format.md §13.2).
 */
record Manifest(String password, String config, String masterKey, String keyFileId, String keyFile,
                Map<String, String> snapshots, Map<String, String> indexes, List<Pack> packs) {

    /** One pack as listed: its header entries in physical order, tree blobs with their plaintext. */
    record Pack(Id id, long size, int headerPlainLength, List<Blob> blobs) {
    }

    /** One header entry; {@code treeJson} is the tree plaintext without its trailing newline, or null. */
    record Blob(BlobType type, boolean compressed, long offset, int length, int plainLength, Id id, String treeJson) {
    }

    private static final Pattern PACK = Pattern.compile("pack ([0-9a-f]{64}) size (\\d+) header-plain-len (\\d+)");
    private static final Pattern BLOB = Pattern.compile(
            " {2}(data|tree)(\\+zstd)? off=(\\d+) enclen=(\\d+) plainlen=(\\d+) id=([0-9a-f]{64})");

    static Manifest read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String password = null;
        String config = null;
        String masterKey = null;
        String keyFileId = null;
        String keyFile = null;
        Map<String, String> snapshots = new LinkedHashMap<>();
        Map<String, String> indexes = new LinkedHashMap<>();
        List<Pack> packs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m;
            if (l.startsWith("##### ")) {
                password = l.substring(l.indexOf("password: ") + 10, l.lastIndexOf(')'));
            } else if (l.equals("# config (plaintext):")) {
                config = lines.get(++i);
            } else if (l.equals("# master key:")) {
                masterKey = lines.get(++i);
            } else if (l.startsWith("# key file ")) {
                keyFileId = l.substring("# key file ".length()).trim();
                keyFile = lines.get(++i);
            } else if (l.startsWith("# snapshots/")) {
                snapshots.put(l.substring(12, 76), lines.get(++i));
            } else if (l.startsWith("# index/")) {
                indexes.put(l.substring(8, 72), lines.get(++i));
            } else if ((m = PACK.matcher(l)).matches()) {
                packs.add(new Pack(Id.parse(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                        new ArrayList<>()));
            } else if ((m = BLOB.matcher(l)).matches()) {
                String tree = null;
                if (i + 1 < lines.size() && lines.get(i + 1).startsWith("    {")) {
                    tree = lines.get(++i).substring(4);
                }
                packs.get(packs.size() - 1).blobs().add(new Blob(BlobType.fromJson(m.group(1)), m.group(2) != null,
                        Long.parseLong(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        Id.parse(m.group(6)), tree));
            } else if (!l.isBlank() && !l.equals("# packs:")) {
                throw new IllegalStateException("unexpected manifest line " + (i + 1) + ": " + l);
            }
        }
        return new Manifest(password, config, masterKey, keyFileId, keyFile, snapshots, indexes, packs);
    }
}
