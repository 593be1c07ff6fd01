package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stowage key}: restic's actions, flags and {@code --json}, and the passwords work in restic. */
class KeyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void addListPasswdRemove() throws Exception {
        Path repo = tmp.resolve("repo");
        Cli cli = Cli.forRepository(repo);
        cli.ok("init");
        Path second = Files.writeString(tmp.resolve("second"), "second password\n");
        String added = cli.ok("key", "add", "--new-password-file", second.toString(), "--user", "bob", "--host", "h2")
                .out().strip();
        assertTrue(added.matches("saved new key as [0-9a-f]{8}"), added);

        // our list --json equals restic's on the same repository (restic opens with the test password too)
        List<Map<String, Object>> ours = sorted(Json.arrayOfObjects(cli.ok("key", "list", "--json").out()));
        List<Map<String, Object>> theirs = sorted(Json.arrayOfObjects(Restic.run(repo, tmp, "key", "list", "--json")));
        assertEquals(theirs, ours);
        assertEquals(2, ours.size());
        assertTrue(ours.stream().anyMatch(k -> k.get("userName").equals("bob") && k.get("hostName").equals("h2")
                && k.get("current").equals(false)), ours.toString());
        assertTrue(cli.ok("key", "list").out().contains("*"), "the table marks the current key");

        // the key in use cannot be removed
        String current = ours.stream().filter(k -> k.get("current").equals(true)).findFirst().orElseThrow()
                .get("id").toString();
        Cli.Run refused = cli.run("key", "remove", current).assertExit(1);
        assertTrue(refused.err().contains("currently used"), refused.err());

        // passwd replaces the current key; the old password stops working, in restic too
        Path third = Files.writeString(tmp.resolve("third"), "third password");
        cli.ok("key", "passwd", "--new-password-file", third.toString());
        cli.run("snapshots").assertExit(StowageCommand.EXIT_WRONG_PASSWORD);
        Cli withThird = Cli.bare().env("STOWAGE_REPOSITORY", repo.toString()).env("STOWAGE_PASSWORD_FILE", third.toString());
        List<Map<String, Object>> now = Json.arrayOfObjects(withThird.ok("key", "list", "--json").out());
        assertEquals(2, now.size(), "bob's key and the new one");

        // and bob's key can be removed by prefix
        String bob = now.stream().filter(k -> k.get("userName").equals("bob")).findFirst().orElseThrow().get("id").toString();
        withThird.ok("key", "remove", bob.substring(0, 6));
        assertEquals(1, Json.arrayOfObjects(withThird.ok("key", "list", "--json").out()).size());
        Cli.Run badAction = withThird.run("key", "rotate");
        assertTrue(badAction.code() != 0 && badAction.err().contains("unknown key action"), badAction.err());
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> keys) {
        return keys.stream().sorted(Comparator.comparing(k -> k.get("id").toString())).toList();
    }
}
