package dev.stowage.engine.handler;

import dev.stowage.engine.Id;
import dev.stowage.engine.api.RetentionPolicy;
import dev.stowage.engine.data.Snapshot;
import dev.stowage.engine.data.Snapshots;
import dev.stowage.engine.forget.Forget;
import dev.stowage.engine.forget.ForgetPolicy;
import dev.stowage.engine.forget.GroupBy;
import dev.stowage.engine.forget.GroupResult;
import dev.stowage.engine.forget.KeepDuration;
import dev.stowage.engine.prune.Prune;
import dev.stowage.engine.prune.PruneOptions;
import dev.stowage.engine.repository.Repository;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Applies a Stash-shaped retention policy (restic forget, then prune when asked) to one configuration's snapshots. */
public final class Retention {
    private Retention() {
    }

    /** What one application of a policy did. */
    public record Outcome(int removed, boolean pruned) {
    }

    /**
     * Forgets the snapshots carrying {@code scopeTag} that {@code policy} does not keep (grouped by
     * host and paths, as restic's default), then prunes if the policy says so. The caller holds an
     * exclusive lock. A dry run removes nothing and reports what it would remove.
     */
    public static Outcome apply(Repository repo, RetentionPolicy policy, String scopeTag, OffsetDateTime now)
            throws IOException {
        ForgetPolicy forget = forgetPolicy(policy);
        if (forget.isEmpty()) {
            return new Outcome(0, false);
        }
        List<Snapshot> scope = Snapshots.loadAll(repo).stream().filter(s -> s.tags().contains(scopeTag)).toList();
        List<Id> remove = new ArrayList<>();
        for (GroupResult group : Forget.apply(scope, GroupBy.DEFAULT, forget, now)) {
            group.remove().forEach(s -> remove.add(s.id()));
        }
        if (policy.isDryRun()) {
            return new Outcome(remove.size(), false);
        }
        int removed = Forget.remove(repo, remove);
        if (policy.isPrune() && removed > 0) {
            repo.loadIndex();
            new Prune(repo, message -> { }).run(PruneOptions.defaults());
            return new Outcome(removed, true);
        }
        return new Outcome(removed, false);
    }

    static ForgetPolicy forgetPolicy(RetentionPolicy p) {
        List<List<String>> keepTags = p.getKeepTags() == null ? List.of()
                : p.getKeepTags().stream().map(List::of).toList();
        return new ForgetPolicy(n(p.getKeepLast()), n(p.getKeepHourly()), n(p.getKeepDaily()), n(p.getKeepWeekly()),
                n(p.getKeepMonthly()), n(p.getKeepYearly()), KeepDuration.ZERO, KeepDuration.ZERO, KeepDuration.ZERO,
                KeepDuration.ZERO, KeepDuration.ZERO, KeepDuration.ZERO, keepTags);
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
