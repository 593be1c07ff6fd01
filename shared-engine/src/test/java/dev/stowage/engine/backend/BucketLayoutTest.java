package dev.stowage.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BucketLayoutTest {
    private static final String ID = "4c1f2a1d1c7c9b1f1b3e8f7c1a3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";

    @Test
    void prefixLosesItsSlashesAndTheRootHasNone() {
        assertEquals("a/b", BucketLayout.normalize("//a/b/"));
        assertEquals("", BucketLayout.normalize("/"));
        assertEquals("", BucketLayout.normalize(null));
        assertEquals("keys/" + ID, new BucketLayout("/").key("keys/" + ID));
        assertEquals("repo/keys/" + ID, new BucketLayout("repo/").key("keys/" + ID));
        assertEquals("repo/snapshots/", new BucketLayout("repo").listPrefix(FileType.SNAPSHOT));
    }

    @Test
    void packsAreNamedOnlyOneSubdirectoryBelowData() {
        BucketLayout layout = new BucketLayout("repo");
        assertEquals(ID, layout.fileName(FileType.PACK, "repo/data/4c/" + ID));
        assertNull(layout.fileName(FileType.PACK, "repo/data/" + ID), "a pack directly under data/");
        assertNull(layout.fileName(FileType.PACK, "repo/data/4c/x/" + ID), "a pack two levels down");
        assertNull(layout.fileName(FileType.PACK, "repo/data/4c/tmp-upload"), "not an ID");
    }

    @Test
    void otherFilesAreIdsDirectlyInTheirDirectory() {
        BucketLayout layout = new BucketLayout("");
        assertEquals(ID, layout.fileName(FileType.INDEX, "index/" + ID));
        assertNull(layout.fileName(FileType.INDEX, "index/sub/" + ID));
        assertNull(layout.fileName(FileType.LOCK, "locks/" + ID.substring(1)));
    }
}
