package dev.stowage.engine.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.engine.json.GoTime;
import dev.stowage.engine.json.JsonWriter;
import java.io.IOException;
import java.time.OffsetDateTime;

/** The backup statistics restic ≥ 0.17 records in a snapshot ({@code summary}); older readers ignore it. */
public record SnapshotSummary(OffsetDateTime backupStart, OffsetDateTime backupEnd, long filesNew,
                              long filesChanged, long filesUnmodified, long dirsNew, long dirsChanged,
                              long dirsUnmodified, long dataBlobs, long treeBlobs, long dataAdded,
                              long dataAddedPacked, long totalFilesProcessed, long totalBytesProcessed) {

    void write(JsonWriter w) {
        w.beginObject()
                .name("backup_start").value(GoTime.format(backupStart))
                .name("backup_end").value(GoTime.format(backupEnd))
                .name("files_new").value(filesNew)
                .name("files_changed").value(filesChanged)
                .name("files_unmodified").value(filesUnmodified)
                .name("dirs_new").value(dirsNew)
                .name("dirs_changed").value(dirsChanged)
                .name("dirs_unmodified").value(dirsUnmodified)
                .name("data_blobs").value(dataBlobs)
                .name("tree_blobs").value(treeBlobs)
                .name("data_added").value(dataAdded)
                .name("data_added_packed").value(dataAddedPacked)
                .name("total_files_processed").value(totalFilesProcessed)
                .name("total_bytes_processed").value(totalBytesProcessed)
                .endObject();
    }

    static SnapshotSummary read(JsonParser p) throws IOException {
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        long[] v = new long[12];
        String[] names = {"files_new", "files_changed", "files_unmodified", "dirs_new", "dirs_changed",
            "dirs_unmodified", "data_blobs", "tree_blobs", "data_added", "data_added_packed",
            "total_files_processed", "total_bytes_processed"};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("backup_start")) {
                start = GoTime.parse(p.getText());
            } else if (f.equals("backup_end")) {
                end = GoTime.parse(p.getText());
            } else {
                int i = java.util.Arrays.asList(names).indexOf(f);
                if (i >= 0) {
                    v[i] = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new SnapshotSummary(start, end, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
}
