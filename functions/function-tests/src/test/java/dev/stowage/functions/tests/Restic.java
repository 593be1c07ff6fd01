package dev.stowage.functions.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real restic CLI, the judge of what the functions wrote. */
final class Restic {
    private Restic() {
    }

    static String run(Path repo, String password, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("restic", "--no-cache", "-r", repo.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("RESTIC_PASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("restic " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** {@code restic snapshots --json}, or an empty list when the repository does not exist. */
    static List<JsonNode> snapshots(Path repo, String password) throws IOException, InterruptedException {
        if (!repo.resolve("config").toFile().exists()) {
            return List.of();
        }
        List<JsonNode> list = new ArrayList<>();
        new ObjectMapper().readTree(run(repo, password, "snapshots", "--json")).forEach(list::add);
        return list;
    }
}
