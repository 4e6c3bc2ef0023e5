package dev.scalpel.edit.encore;

import dev.scalpel.core.eval.MeanInterval;
import java.util.List;

/**
 * A claim's verdict from margins measured per seed, each positive where the claim holds on that seed (MEMIT's growth
 * minus ENCORE's; ENCORE's S minus MEMIT's plus the slack): the means say the direction, and only 95% intervals wholly
 * above zero say the claim holds beyond the seed-to-seed noise. One seed has no interval and says so.
 */
public final class SeedVerdict {
    private SeedVerdict() {
    }

    /** "Reproduced", qualified by the noise, or "Not reproduced" ({@code failed} says how, without the bold). */
    public static String of(List<MeanInterval> margins, String failed) {
        boolean holds = margins.stream().allMatch(m -> m.mean() > 0);
        int seeds = margins.getFirst().count();
        if (!holds) {
            boolean clear = margins.stream().anyMatch(m -> m.mean() <= 0 && m.hasInterval() && m.high() < 0);
            return "**" + failed + "**" + (seeds == 1 ? " (one seed: no interval)"
                    : clear ? "" : " (within the seed-to-seed noise: the 95% interval includes the other side)");
        }
        if (seeds == 1) {
            return "**Reproduced on one seed** (no interval to judge the noise)";
        }
        return margins.stream().allMatch(m -> m.low() > 0)
                ? "**Reproduced** (beyond the noise: every 95% interval over " + seeds + " seeds excludes the other side)"
                : "**In direction, within the noise** (the means agree, but a 95% interval over " + seeds
                        + " seeds includes the other side)";
    }
}
