package dev.stowage.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelObjectTest {
    static BackupSessionStatus status(String duration) {
        FileStats files = new FileStats();
        files.setTotalFiles(3L);
        SnapshotStats snapshot = new SnapshotStats();
        snapshot.setName("2f6b6d2b");
        snapshot.setFileStats(files);
        HostBackupStats host = new HostBackupStats();
        host.setHostname("host-0");
        host.setPhase(HostPhase.Succeeded);
        host.setSnapshots(List.of(snapshot));
        BackupTargetStatus target = new BackupTargetStatus();
        target.setStats(List.of(host));
        BackupSessionStatus status = new BackupSessionStatus();
        status.setPhase(BackupSessionPhase.Succeeded);
        status.setSessionDuration(duration);
        status.setTargets(List.of(target));
        return status;
    }

    @Test
    void equalByContent() {
        assertEquals(status("1s"), status("1s"));
        assertEquals(status("1s").hashCode(), status("1s").hashCode());
        assertNotEquals(status("1s"), status("2s"));
        BackupSessionStatus deeper = status("1s");
        deeper.getTargets().get(0).getStats().get(0).getSnapshots().get(0).getFileStats().setNewFiles(1L);
        assertNotEquals(status("1s"), deeper);
        assertNotEquals(new TargetRef(), new RepositoryRef(), "different classes");
    }

    @Test
    void toStringIsJsonWithoutNulls() {
        TargetRef ref = new TargetRef();
        ref.setKind("AppBinding");
        ref.setName("pg");
        assertEquals("TargetRef{\"kind\":\"AppBinding\",\"name\":\"pg\"}", ref.toString());
    }
}
