package dev.scalpel.core.train;

/**
 * Learning rate by step: linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to
 * {@code peak * minRatio} at {@code totalSteps}.
 */
public record Schedule(double peak, long warmupSteps, long totalSteps, double minRatio) {
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
