package dev.scalpel.edit.diagnostics;

import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;

/**
 * The norm-growth paper's view of one edited matrix: its Frobenius norm, the norm of everything edits added to it,
 * and its singular spectrum: the share of energy in the top singular value, the condition number and the spectral
 * entropy (of the normalized squared singular values, in nats).
 */
public record MatrixDiagnostics(double norm, double deltaNorm, double topSingularShare, double conditionNumber,
                                double spectralEntropy, double topSingularValue) {

    public static MatrixDiagnostics of(Matrix edited, Matrix original) {
        double[] s = Linalg.svd(edited).s();
        double energy = 0;
        for (double v : s) {
            energy += v * v;
        }
        double entropy = 0;
        for (double v : s) {
            double p = v * v / energy;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        double smallest = s[s.length - 1];
        return new MatrixDiagnostics(edited.norm(), edited.minus(original).norm(), s[0] * s[0] / energy,
                smallest > 0 ? s[0] / smallest : Double.POSITIVE_INFINITY, entropy, s[0]);
    }
}
