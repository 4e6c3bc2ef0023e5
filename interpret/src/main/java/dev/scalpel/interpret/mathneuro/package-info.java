/**
 * MathNeuro (Christ et al., "Math Neurosurgery", ACL 2025): find the parameters a task relies on from forward passes
 * alone, and prune or scale them. In the paper's order: {@link dev.scalpel.interpret.mathneuro.ImportanceScores}
 * (S_ij = |W_ij| x ||X_:,j||_2 summed over samples, per linear module), {@link dev.scalpel.interpret.mathneuro.ParameterSet}
 * (per-matrix top-K sets, the target-specific difference, the random baseline of the same per-matrix counts) and
 * {@link dev.scalpel.interpret.mathneuro.Intervention} (multiply a set by a factor; 0 prunes).
 */
package dev.scalpel.interpret.mathneuro;
