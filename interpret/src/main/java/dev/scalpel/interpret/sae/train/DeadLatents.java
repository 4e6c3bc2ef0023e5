package dev.scalpel.interpret.sae.train;

/**
 * Counts, per latent, the training tokens since it last fired (activation > 0). A latent is dead once the count
 * reaches the window; counts start at 0, so nothing is dead before a full window has passed.
 */
final class DeadLatents {
    private final long window;
    private final long[] sinceFired;
    private int dead;

    DeadLatents(int dSae, long window) {
        this.window = window;
        this.sinceFired = new long[dSae];
    }

    /** Records a batch of {@code tokens} rows in which latent j fired when {@code fired[j]}. */
    void update(boolean[] fired, long tokens) {
        int d = 0;
        for (int j = 0; j < sinceFired.length; j++) {
            sinceFired[j] = fired[j] ? 0 : sinceFired[j] + tokens;
            if (sinceFired[j] >= window) {
                d++;
            }
        }
        dead = d;
    }

    int deadCount() {
        return dead;
    }

    double deadFraction() {
        return (double) dead / sinceFired.length;
    }

    /** 1 for a dead latent, 0 for a live one. */
    float[] deadMask() {
        float[] mask = new float[sinceFired.length];
        for (int j = 0; j < mask.length; j++) {
            mask[j] = sinceFired[j] >= window ? 1f : 0f;
        }
        return mask;
    }
}
