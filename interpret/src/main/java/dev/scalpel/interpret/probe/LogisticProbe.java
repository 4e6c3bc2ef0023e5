package dev.scalpel.interpret.probe;

import dev.scalpel.core.eval.ClassificationMetrics;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.scalpel.interpret.data.TrainTestSplit;
import dev.scalpel.interpret.data.StratifiedSplit;
import java.util.Arrays;
import java.util.List;

/**
 * L2-regularized logistic regression solved by LIBLINEAR (its Java port; solver {@code L2R_LR}, the primal
 * trust-region Newton method, which is deterministic), with an unregularized intercept as scikit-learn's default
 * LogisticRegression has. More than two classes are fitted one-vs-rest. The inverse regularization strength C is
 * chosen by stratified k-fold cross-validation on the training rows, by mean macro-F1 over the folds; of equally good
 * values the smallest (most regularized) C wins, as scikit-learn's GridSearchCV picks the first best of an ascending
 * grid.
 *
 * <p>With {@code balanced} class weights each class's errors are weighted {@code n / (classes * n_class)} over the rows
 * of that fit (scikit-learn's {@code class_weight='balanced'}), so a rare class is not ignored.
 */
public final class LogisticProbe {
    /** The method's grid: 1e-4 ... 10. */
    /** The method's folds. */
    public static final int FOLDS = 5;

    static {
        Linear.disableDebugOutput();   // LIBLINEAR prints every Newton iteration to stdout otherwise
    }

    /**
     * @param cGrid the values of C to try, ascending
     * @param balanced weight classes inversely to their frequency
     * @param eps LIBLINEAR's stopping tolerance (its default for this solver: 0.01, relative to the first gradient)
     * @param maxIterations LIBLINEAR's Newton iteration cap
     */
    public record Config(List<Double> cGrid, boolean balanced, double eps, int maxIterations) {
        public Config {
            cGrid = List.copyOf(cGrid);
            if (cGrid.isEmpty()) {
                throw new IllegalArgumentException("the C grid is empty");
            }
            for (int i = 0; i < cGrid.size(); i++) {
                if (!(cGrid.get(i) > 0) || (i > 0 && cGrid.get(i) <= cGrid.get(i - 1))) {
                    throw new IllegalArgumentException("the C grid must be positive and ascending: " + cGrid);
                }
            }
            if (!(eps > 0) || maxIterations < 1) {
                throw new IllegalArgumentException("eps must be > 0 and maxIterations >= 1");
            }
        }

        /** The method's grid, no class weights, LIBLINEAR's default tolerance (hparams/probe/mosaic.json). */
        public static Config defaults() {
            return ProbeHyperparameters.mosaic().probe();
        }

        public Config withBalanced(boolean b) {
            return new Config(cGrid, b, eps, maxIterations);
        }

        public Config withGrid(List<Double> grid) {
            return new Config(grid, balanced, eps, maxIterations);
        }

        public Config withEps(double e) {
            return new Config(cGrid, balanced, e, maxIterations);
        }
    }

    /**
     * The cross-validation behind a choice of C.
     *
     * @param foldScores macro-F1 per grid value (outer index, as {@code grid}) and fold
     */
    public record Selection(double bestC, List<Double> grid, double[][] foldScores) {
        public int bestIndex() {
            return grid.indexOf(bestC);
        }

        public double mean(int gridIndex) {
            return Arrays.stream(foldScores[gridIndex]).average().orElse(Double.NaN);
        }

        /** Population standard deviation over folds (ddof 0, as scikit-learn's cv_results_ report it). */
        public double std(int gridIndex) {
            double m = mean(gridIndex);
            return Math.sqrt(Arrays.stream(foldScores[gridIndex]).map(s -> (s - m) * (s - m)).average().orElse(Double.NaN));
        }
    }

    private final Config config;
    private final boolean standardize;

    public LogisticProbe(Config config) {
        this(config, false);
    }

    private LogisticProbe(Config config, boolean standardize) {
        this.config = config;
        this.standardize = standardize;
    }

    public Config config() {
        return config;
    }

    /**
     * The same probe with its features standardized ({@link FeatureScaler}) on the rows of each fit: every fold's
     * training rows during selection, the training split for the final fit, as a scikit-learn pipeline of
     * StandardScaler and LogisticRegression does. For dense features (hidden states) only.
     */
    public LogisticProbe standardizing() {
        return new LogisticProbe(config, true);
    }

    public boolean standardizes() {
        return standardize;
    }

    /**
     * Fits on {@code rows} of {@code x} with inverse regularization {@code c}.
     *
     * @param y class ids of all rows of x ({@code 0 .. classes-1})
     * @param classes the number of classes overall (so class weights and predictions agree across folds)
     */
    public Fitted fit(FeatureMatrix x, int[] y, int classes, int[] rows, double c) {
        if (!standardize || rows.length == 0) {
            return fitAsGiven(x, y, classes, rows, c, null);
        }
        FeatureScaler scaler = FeatureScaler.fit(x, rows);
        return fitAsGiven(scaler.apply(x), y, classes, rows, c, scaler);
    }

    private Fitted fitAsGiven(FeatureMatrix x, int[] y, int classes, int[] rows, double c, FeatureScaler scaler) {
        if (y.length != x.rows()) {
            throw new IllegalArgumentException(x.rows() + " feature rows but " + y.length + " labels");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        Feature[][] all = x.rowsWithBias();
        Problem problem = new Problem();
        problem.l = rows.length;
        problem.n = x.columns() + 1;
        problem.bias = 1;
        problem.x = new Feature[rows.length][];
        problem.y = new double[rows.length];
        int[] counts = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            problem.x[i] = all[rows[i]];
            problem.y[i] = y[rows[i]];
            counts[y[rows[i]]]++;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, config.eps(), config.maxIterations(), 0.1);
        parameter.setRegularizeBias(false);
        if (config.balanced()) {
            int present = (int) Arrays.stream(counts).filter(n -> n > 0).count();
            int[] labels = new int[present];
            double[] weights = new double[present];
            int k = 0;
            for (int cl = 0; cl < classes; cl++) {
                if (counts[cl] > 0) {
                    labels[k] = cl;
                    weights[k++] = (double) rows.length / (present * counts[cl]);
                }
            }
            parameter.setWeights(weights, labels);
        }
        return new Fitted(Linear.train(problem, parameter), x.columns(), classes, scaler);
    }

    /**
     * Chooses C on {@code folds} (indices into x's rows) by mean macro-F1. The grid x folds fits are independent and run
     * in parallel (LIBLINEAR's L2R_LR solver is a deterministic Newton method with no shared state), so the scores are
     * the same as one after the other.
     */
    public Selection select(FeatureMatrix x, int[] y, int classes, List<TrainTestSplit> folds) {
        List<Double> grid = config.cGrid();
        double[][] scores = new double[grid.size()][folds.size()];
        // Standardized once per fold (on its training rows), then shared by every C of the grid.
        List<FeatureMatrix> perFold = new java.util.ArrayList<>();
        for (TrainTestSplit fold : folds) {
            FeatureMatrix xf = standardize ? FeatureScaler.fit(x, fold.train()).apply(x) : x;
            xf.rowsWithBias();   // built once, before the threads share it
            perFold.add(xf);
        }
        java.util.stream.IntStream.range(0, grid.size() * folds.size()).parallel().forEach(i -> {
            int g = i / folds.size();
            int f = i % folds.size();
            TrainTestSplit fold = folds.get(f);
            FeatureMatrix xf = perFold.get(f);
            Fitted model = fitAsGiven(xf, y, classes, fold.train(), grid.get(g), null);
            int[] held = fold.test();
            int[] truth = new int[held.length];
            for (int k = 0; k < held.length; k++) {
                truth[k] = y[held[k]];
            }
            scores[g][f] = ClassificationMetrics.macroF1(truth, model.predict(xf, held), classes);
        });
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < grid.size(); g++) {
            double mean = Arrays.stream(scores[g]).average().orElse(Double.NaN);
            if (mean > bestMean) {   // strictly better: ties keep the smaller C
                bestMean = mean;
                best = g;
            }
        }
        return new Selection(grid.get(best), grid, scores);
    }

    /** {@link #select(FeatureMatrix, int[], int, List)} on stratified k folds of {@code rows}. */
    public Selection select(FeatureMatrix x, int[] y, int classes, int[] rows, int k, long seed) {
        return select(x, y, classes, StratifiedSplit.kFold(y, rows, k, seed));
    }

    /** A trained classifier. */
    public static final class Fitted {
        private final Model model;
        private final int columns;
        private final int classes;
        private final FeatureScaler scaler;   // null: the features are used as given

        Fitted(Model model, int columns, int classes, FeatureScaler scaler) {
            this.model = model;
            this.columns = columns;
            this.classes = classes;
            this.scaler = scaler;
        }

        /** The class id of one row (without the bias feature: it is added here; standardized if the fit was). */
        public int predict(Feature[] row) {
            if (scaler != null) {
                float[] dense = new float[columns];
                for (Feature f : row) {
                    dense[f.getIndex() - 1] = (float) f.getValue();
                }
                row = FeatureMatrix.ofDense(new float[][] {scaler.apply(dense)}).row(0);
            }
            Feature[] withBias = Arrays.copyOf(row, row.length + 1);
            withBias[row.length] = new de.bwaldvogel.liblinear.FeatureNode(columns + 1, 1.0);
            return (int) Linear.predict(model, withBias);
        }

        /** Class ids of the given rows of x. */
        public int[] predict(FeatureMatrix x, int[] rows) {
            if (x.columns() != columns) {
                throw new IllegalArgumentException("the probe was fitted on " + columns + " features, not " + x.columns());
            }
            int[] out = new int[rows.length];
            Feature[][] all = (scaler == null ? x : scaler.apply(x)).rowsWithBias();   // standardized once, not per row
            for (int i = 0; i < rows.length; i++) {
                out[i] = (int) Linear.predict(model, all[rows[i]]);
            }
            return out;
        }

        /**
         * The weights whose dot product with a row (plus the intercept) is class {@code c}'s decision value against
         * the rest; for two classes, the one weight vector LIBLINEAR learns, signed towards {@code c}. For a
         * standardized fit, the row is the standardized one.
         */
        public double[] coefficients(int c) {
            return weights(c, false);
        }

        /** Class {@code c}'s intercept, signed as {@link #coefficients(int)}. */
        public double intercept(int c) {
            return weights(c, true)[0];
        }

        public int columns() {
            return columns;
        }

        public int classes() {
            return classes;
        }

        private double[] weights(int c, boolean intercept) {
            int[] labels = model.getLabels();
            double[] w = model.getFeatureWeights();
            int nrW = labels.length == 2 ? 1 : labels.length;
            int column = -1;
            double sign = 1;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    column = nrW == 1 ? 0 : i;
                    sign = nrW == 1 && i == 1 ? -1 : 1;
                }
            }
            if (column < 0) {
                throw new IllegalArgumentException("class " + c + " was not among the training labels "
                        + Arrays.toString(labels));
            }
            if (intercept) {
                return new double[] {sign * w[columns * nrW + column]};
            }
            double[] out = new double[columns];
            for (int j = 0; j < columns; j++) {
                out[j] = sign * w[j * nrW + column];
            }
            return out;
        }
    }
}
