package dev.stowage.engine.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.engine.StowageException;
import dev.stowage.engine.backend.FileType;
import dev.stowage.engine.backend.LocalBackend;
import dev.stowage.engine.crypto.ScryptParams;
import dev.stowage.engine.crypto.WrongPasswordException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-repository keys: every password opens the same data, in Stowage and in restic 0.14. */
class KeysTest {
    private static final ScryptParams FAST = new ScryptParams(1024, 8, 1);
    private static final Identity WHO = new Identity("alice", "host-a", ProcessHandle.current().pid());

    @TempDir
    Path tmp;

    private Repository init() throws Exception {
        return Repository.init(new LocalBackend(tmp.resolve("repo")), "first", 2, FAST, WHO, RepositoryOptions.defaults());
    }

    private Repository open(String password) throws Exception {
        return Repository.open(new LocalBackend(tmp.resolve("repo")), password, RepositoryOptions.defaults());
    }

    @Test
    void addedKeyOpensTheSameRepositoryHereAndInRestic() throws Exception {
        String added;
        String configId;
        try (Repository repo = init()) {
            configId = repo.config().id();
            added = new Keys(repo).add("second", FAST, new Identity("bob", "host-b", 1));
            List<Keys.KeyInfo> keys = new Keys(repo).list();
            assertEquals(2, keys.size());
            assertEquals(List.of(repo.keyId()), keys.stream().filter(Keys.KeyInfo::current).map(Keys.KeyInfo::id).toList());
            Keys.KeyInfo bob = keys.stream().filter(k -> k.id().equals(added)).findFirst().orElseThrow();
            assertEquals("bob", bob.username());
            assertEquals("host-b", bob.hostname());
        }
        try (Repository repo = open("second")) {
            assertEquals(added, repo.keyId());
            assertEquals(configId, repo.config().id());
        }
        assertEquals(0, restic("second", "cat", "config"), "restic opens the repository with the added password");
    }

    @Test
    void theKeyInUseCannotBeRemovedOthersCan() throws Exception {
        try (Repository repo = init()) {
            Keys keys = new Keys(repo);
            String other = keys.add("second", FAST, WHO);
            StowageException e = assertThrows(StowageException.class, () -> keys.remove(repo.keyId().substring(0, 8)));
            assertTrue(e.getMessage().contains("currently used"), e.getMessage());
            assertTrue(assertThrows(StowageException.class, () -> keys.remove("ffffffffffff")).getMessage().contains("no key"));
            assertEquals(other, keys.remove(other.substring(0, 10)));
            assertEquals(List.of(repo.keyId()), repo.backend().list(FileType.KEY));
        }
        assertThrows(WrongPasswordException.class, () -> open("second"));
    }

    @Test
    void changingThePasswordReplacesTheKey() throws Exception {
        try (Repository repo = init()) {
            String old = repo.keyId();
            String fresh = new Keys(repo).changePassword("new secret", FAST, WHO);
            assertEquals(List.of(fresh), repo.backend().list(FileType.KEY));
            assertTrue(!fresh.equals(old));
        }
        assertThrows(WrongPasswordException.class, () -> open("first"));
        try (Repository repo = open("new secret")) {
            assertEquals(1, new Keys(repo).list().size());
        }
        assertEquals(0, restic("new secret", "cat", "config"));
        assertEquals(1, restic("first", "cat", "config"), "restic refuses the old password");
    }

    @Test
    void atMostTwentyKeys() throws Exception {
        try (Repository repo = init()) {
            Keys keys = new Keys(repo);
            for (int i = 1; i < Repository.MAX_KEYS; i++) {
                keys.add("pw" + i, FAST, WHO);
            }
            StowageException e = assertThrows(StowageException.class, () -> keys.add("one too many", FAST, WHO));
            assertTrue(e.getMessage().contains("20 keys"), e.getMessage());
            assertEquals(Repository.MAX_KEYS, repo.backend().list(FileType.KEY).size());
        }
    }

    private int restic(String password, String... args) throws Exception {
        Path pwFile = Files.writeString(tmp.resolve("pw-" + Math.abs(password.hashCode())), password);
        List<String> cmd = new java.util.ArrayList<>(List.of("restic", "--no-cache", "-r", tmp.resolve("repo").toString(),
                "--password-file", pwFile.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("RESTIC_PASSWORD", ""));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return p.exitValue();
    }
}
