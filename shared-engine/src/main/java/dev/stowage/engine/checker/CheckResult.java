package dev.stowage.engine.checker;

import dev.stowage.engine.Id;
import java.util.List;

/**
 * What {@link Checker#check} found.
 *
 * @param findings  errors, warnings and hints, in the order the checks ran
 * @param packsRead the packs {@code --read-data} read (empty without it), sorted
 */
public record CheckResult(List<Finding> findings, List<Id> packsRead) {
    public CheckResult {
        findings = List.copyOf(findings);
        packsRead = List.copyOf(packsRead);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
    }

    public List<Finding> hints() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.HINT).toList();
    }
}
