package dev.stowage.engine.golden;

/** The v2 golden repository of restic 0.14.0 (password golden-pw) against v2repo.MANIFEST.txt. */
class GoldenV2RepoTest extends GoldenRepoTestBase {
    @Override
    String name() {
        return "v2repo";
    }

    @Override
    int version() {
        return 2;
    }
}
