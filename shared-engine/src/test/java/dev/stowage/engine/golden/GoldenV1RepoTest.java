package dev.stowage.engine.golden;

/** The v1 golden repository of restic 0.14.0 (password golden-pw) against v1repo.MANIFEST.txt. */
class GoldenV1RepoTest extends GoldenRepoTestBase {
    @Override
    String name() {
        return "v1repo";
    }

    @Override
    int version() {
        return 1;
    }
}
