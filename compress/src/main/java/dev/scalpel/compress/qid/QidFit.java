package dev.scalpel.compress.qid;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.util.Pair;

/**
 * The QiD law fitted two ways, as the spec asks: in log space (log QiD = log k - alpha log N + beta log D - gamma log
 * P, ordinary least squares over the observations with QiD > 0) and on QiD itself (nonlinear least squares by
 * Levenberg-Marquardt from the log-space fit), each with percentile bootstrap intervals over resampled observations.
 */
public final class QidFit {
    private QidFit() {
    }

    /** How the law is fitted. */
    public enum Method {
        LOG_LINEAR, NONLINEAR
    }

    /** A 95% percentile interval. */
    public record Interval(double low, double high) {
        public boolean contains(double v) {
            return v >= low && v <= high;
        }
    }

    /**
     * @param used observations the fit read (log space leaves out QiD <= 0, which has no logarithm)
     * @param leftOut observations with QiD <= 0 left out of the log-space fit
     * @param logR2 the share of log QiD's variance the law explains (over the observations with QiD > 0)
     * @param intervals k, alpha, beta and gamma's 95% bootstrap intervals, in that order (empty without a bootstrap)
     * @param resampledLaws the bootstrap's laws, for intervals on anything derived from the law
     */
    public record Result(Method method, QidLaw law, int used, int leftOut, double logR2, List<Interval> intervals,
                         List<QidLaw> resampledLaws) {
        /** A 95% interval for any function of the law (a projection, a training level) over the bootstrap's laws. */
        public Interval interval(Function<QidLaw, Double> derived) {
            if (resampledLaws.isEmpty()) {
                throw new IllegalStateException("this fit has no bootstrap");
            }
            return percentile(resampledLaws.stream().mapToDouble(derived::apply).filter(Double::isFinite).toArray());
        }
    }

    /** The law fitted once, without intervals. */
    public static QidLaw fit(List<QidObservation> observations, Method method) {
        QidLaw logLinear = logLinear(positive(observations));
        return method == Method.LOG_LINEAR ? logLinear : nonlinear(observations, logLinear);
    }

    /** The law and 95% intervals from {@code resamples} bootstrap resamples drawn with {@code seed}. */
    public static Result fitWithIntervals(List<QidObservation> observations, Method method, int resamples, long seed) {
        List<QidObservation> positive = positive(observations);
        QidLaw law = fit(observations, method);
        List<QidObservation> fitted = method == Method.LOG_LINEAR ? positive : observations;
        SplittableRandom random = new SplittableRandom(seed);
        List<QidLaw> laws = new ArrayList<>();
        for (int r = 0; r < resamples; r++) {
            List<QidObservation> sample = new ArrayList<>(fitted.size());
            for (int i = 0; i < fitted.size(); i++) {
                sample.add(fitted.get(random.nextInt(fitted.size())));
            }
            try {
                laws.add(fit(sample, method));
            } catch (ScalpelException e) {
                // A resample without enough distinct sizes, token counts or widths identifies no law: it is skipped.
            }
        }
        List<Interval> intervals = new ArrayList<>();
        for (int j = 0; j < 4 && !laws.isEmpty(); j++) {
            int index = j;
            intervals.add(percentile(laws.stream().mapToDouble(l -> l.asArray()[index]).toArray()));
        }
        return new Result(method, law, fitted.size(), observations.size() - positive.size(), logR2(positive, law),
                intervals, laws);
    }

    private static List<QidObservation> positive(List<QidObservation> observations) {
        return observations.stream().filter(o -> o.qid() > 0).toList();
    }

    /** Ordinary least squares on log QiD over [1, log N, log D, log P]. */
    static QidLaw logLinear(List<QidObservation> observations) {
        requireIdentifiable(observations);
        int n = observations.size();
        double[] x = new double[n * 4];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            QidObservation o = observations.get(i);
            x[i * 4] = 1;
            x[i * 4 + 1] = Math.log(o.parameters());
            x[i * 4 + 2] = Math.log(o.tokens());
            x[i * 4 + 3] = Math.log(o.bits());
            y[i] = Math.log(o.qid());
        }
        Matrix design = new Matrix(n, 4, x);
        Matrix xt = design.transpose();
        Matrix coefficients = Linalg.solveSymmetricPositiveDefinite(Linalg.multiply(xt, design),
                Linalg.multiply(xt, new Matrix(n, 1, y)));
        double[] c = coefficients.data();
        return new QidLaw(Math.exp(c[0]), -c[1], c[2], -c[3]);
    }

    /** Least squares on QiD itself, started from {@code start}; k is fitted as log k so that it stays positive. */
    static QidLaw nonlinear(List<QidObservation> observations, QidLaw start) {
        requireIdentifiable(observations);
        int n = observations.size();
        double[] target = observations.stream().mapToDouble(QidObservation::qid).toArray();
        var model = (org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction) point -> {
            double logK = point.getEntry(0);
            double alpha = point.getEntry(1);
            double beta = point.getEntry(2);
            double gamma = point.getEntry(3);
            RealVector value = new ArrayRealVector(n);
            RealMatrix jacobian = new Array2DRowRealMatrix(n, 4);
            for (int i = 0; i < n; i++) {
                QidObservation o = observations.get(i);
                double lnN = Math.log(o.parameters());
                double lnD = Math.log(o.tokens());
                double lnP = Math.log(o.bits());
                double f = Math.exp(logK + beta * lnD - alpha * lnN - gamma * lnP);
                value.setEntry(i, f);
                jacobian.setEntry(i, 0, f);
                jacobian.setEntry(i, 1, -f * lnN);
                jacobian.setEntry(i, 2, f * lnD);
                jacobian.setEntry(i, 3, -f * lnP);
            }
            return new Pair<>(value, jacobian);
        };
        LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                .start(new double[] {Math.log(start.k()), start.alpha(), start.beta(), start.gamma()})
                .model(model).target(target).maxEvaluations(10_000).maxIterations(10_000).build());
        double[] p = optimum.getPoint().toArray();
        return new QidLaw(Math.exp(p[0]), p[1], p[2], p[3]);
    }

    /** The law has four coefficients: it needs more points than that, and two or more values of N, D and P each. */
    private static void requireIdentifiable(List<QidObservation> observations) {
        if (observations.size() < 5) {
            throw new ScalpelException("fitting the QiD law needs at least 5 observations with QiD > 0, got "
                    + observations.size());
        }
        for (var axis : List.<Function<QidObservation, Double>>of(QidObservation::parameters, QidObservation::tokens,
                QidObservation::bits)) {
            if (observations.stream().map(axis).distinct().count() < 2) {
                throw new ScalpelException("fitting the QiD law needs at least two model sizes, two token counts and two"
                        + " bit widths among the observations with QiD > 0");
            }
        }
    }

    private static double logR2(List<QidObservation> observations, QidLaw law) {
        double mean = observations.stream().mapToDouble(o -> Math.log(o.qid())).average().orElse(Double.NaN);
        double total = 0;
        double residual = 0;
        for (QidObservation o : observations) {
            double y = Math.log(o.qid());
            double e = y - Math.log(law.predict(o.parameters(), o.tokens(), o.bits()));
            total += (y - mean) * (y - mean);
            residual += e * e;
        }
        return 1 - residual / total;
    }

    private static Interval percentile(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        return new Interval(sorted[(int) Math.floor(0.025 * (sorted.length - 1))],
                sorted[(int) Math.ceil(0.975 * (sorted.length - 1))]);
    }
}
