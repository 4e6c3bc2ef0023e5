package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.OwnedArrays;
import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scalpel.interpret.sae.SparseAutoencoder;

/**
 * OpenAI's TopK loss: normalized MSE, mse(x_hat, x) times a fixed 1 / Var(x) measured once on the initialization
 * sample, plus {@code coefficient} times AuxK. AuxK reconstructs the main reconstruction's residual
 * e = x - x_hat (no gradient through e) from the {@code auxK} largest pre-activations among dead latents (ReLU'd,
 * decoded without bias) and is normalized by the residual's own variance in the batch, mse(e_hat, e) / mse(mean(e), e).
 * It is 0 when no latent is dead. Its gradient reaches the dead latents' encoder and decoder weights, which the main
 * loss never does, and so revives them.
 */
final class TopKObjective implements SaeObjective {
    private final float mseScale;
    private final int auxK;
    private final float coefficient;

    TopKObjective(double mseScale, int auxK, double coefficient) {
        this.mseScale = (float) mseScale;
        this.auxK = auxK;
        this.coefficient = (float) coefficient;
    }

    @Override
    public Terms loss(SparseAutoencoder sae, NDArray x, NDArray pre, NDArray f, NDArray xHat, float[] deadMask,
                      long step) {
        NDArray reconstruction = Scalars.mul(xHat.sub(x).square().mean(), mseScale);
        NDArray aux = auxLoss(sae, x, pre, xHat, deadMask);
        if (aux == null) {
            return new Terms(reconstruction, reconstruction, x.getManager().zeros(new ai.djl.ndarray.types.Shape()));
        }
        NDArray weighted = Scalars.mul(aux, coefficient);
        return new Terms(reconstruction.add(weighted), reconstruction, weighted);
    }

    /** The unweighted AuxK loss, or null when it is off, nothing is dead, or the residual has no variance. */
    NDArray auxLoss(SparseAutoencoder sae, NDArray x, NDArray pre, NDArray xHat, float[] deadMask) {
        if (auxK == 0 || coefficient == 0 || !anyDead(deadMask)) {
            return null;
        }
        NDArray residual = x.sub(xHat).stopGradient();
        NDArray spread = residual.sub(residual.mean(new int[] {0}, true)).square().mean();
        if (!(spread.getFloat() > 0)) {
            return null;
        }
        NDArray deadPre = pre.mul(OwnedArrays.of(x.getManager(), deadMask, new ai.djl.ndarray.types.Shape(deadMask.length)));                 // live latents -> 0
        int kAux = Math.min(auxK, sae.dSae());
        NDArray kth = deadPre.topK(kAux, -1, true, true).get(0).get(":, -1:");
        NDArray auxLatents = Scalars.maximum(deadPre, 0f).mul(deadPre.gte(kth).toType(DataType.FLOAT32, false));
        NDArray residualHat = auxLatents.matMul(sae.wDec());
        return residualHat.sub(residual).square().mean().div(spread);
    }

    private static boolean anyDead(float[] mask) {
        for (float v : mask) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}
