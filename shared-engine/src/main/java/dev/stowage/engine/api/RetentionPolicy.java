package dev.stowage.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Which snapshots to keep after a backup: restic's {@code forget --keep-*} options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionPolicy extends ModelObject {
    @Required
    private String name;

    @Min(0)
    private Integer keepLast;

    @Min(0)
    private Integer keepHourly;

    @Min(0)
    private Integer keepDaily;

    @Min(0)
    private Integer keepWeekly;

    @Min(0)
    private Integer keepMonthly;

    @Min(0)
    private Integer keepYearly;

    private List<String> keepTags;

    @JsonPropertyDescription("Prune the repository after forgetting snapshots")
    @Required
    private boolean prune;

    @JsonPropertyDescription("Report what would be removed without removing it")
    private boolean dryRun;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getKeepLast() {
        return keepLast;
    }

    public void setKeepLast(Integer keepLast) {
        this.keepLast = keepLast;
    }

    public Integer getKeepHourly() {
        return keepHourly;
    }

    public void setKeepHourly(Integer keepHourly) {
        this.keepHourly = keepHourly;
    }

    public Integer getKeepDaily() {
        return keepDaily;
    }

    public void setKeepDaily(Integer keepDaily) {
        this.keepDaily = keepDaily;
    }

    public Integer getKeepWeekly() {
        return keepWeekly;
    }

    public void setKeepWeekly(Integer keepWeekly) {
        this.keepWeekly = keepWeekly;
    }

    public Integer getKeepMonthly() {
        return keepMonthly;
    }

    public void setKeepMonthly(Integer keepMonthly) {
        this.keepMonthly = keepMonthly;
    }

    public Integer getKeepYearly() {
        return keepYearly;
    }

    public void setKeepYearly(Integer keepYearly) {
        this.keepYearly = keepYearly;
    }

    public List<String> getKeepTags() {
        return keepTags;
    }

    public void setKeepTags(List<String> keepTags) {
        this.keepTags = keepTags;
    }

    public boolean isPrune() {
        return prune;
    }

    public void setPrune(boolean prune) {
        this.prune = prune;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }
}
