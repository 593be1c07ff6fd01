package dev.stowage.cli;

import dev.stowage.engine.StowageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cat", description = "Print internal objects; 'cat config' prints the repository config.")
final class CatCommand implements Callable<Integer> {
    @ParentCommand
    StowageCommand root;

    @Parameters(index = "0", paramLabel = "TYPE", description = "object type: config")
    String type;

    @Override
    public Integer call() throws Exception {
        if (!type.equals("config")) {
            throw new StowageException("cat supports 'config'; \"" + type + "\" is not known");
        }
        try (RepositoryAccess access = RepositoryAccess.open(root.options(), false, false)) {
            byte[] json = access.repo.config().toJson();
            // restic prints the config indented; fields and values are the same
            String pretty = new String(json, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("{", "{\n  ").replace(",\"", ",\n  \"").replace("}", "\n}").replace("\":", "\": ");
            root.out.println(pretty);
        }
        return 0;
    }
}
