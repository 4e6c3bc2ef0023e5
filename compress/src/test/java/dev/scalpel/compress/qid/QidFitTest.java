package dev.scalpel.compress.qid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The law is recovered from data made by a known law, its intervals cover it, and its two uses invert it. */
class QidFitTest {

    /** A ladder like the paper's: 3 sizes x 6 token counts x 4 widths, QiD from {@code law} times log-normal noise. */
    static List<QidObservation> ladder(QidLaw law, double noise, long seed) {
        Random random = new Random(seed);
        List<QidObservation> out = new ArrayList<>();
        for (double n : new double[] {1e6, 4e6, 1.6e7}) {
            for (double d : new double[] {3e7, 6e7, 1.2e8, 2.4e8, 4.8e8, 9e8}) {
                for (double p : new double[] {2, 3, 4, 8}) {
                    out.add(new QidObservation(n, d, p, law.predict(n, d, p) * Math.exp(noise * random.nextGaussian())));
                }
            }
        }
        return out;
    }

    @Test
    void exactDataGivesTheLawBackBothWays() {
        QidLaw truth = new QidLaw(2.0, 0.25, 0.5, 4.0);
        for (QidFit.Method method : QidFit.Method.values()) {
            QidLaw fitted = QidFit.fit(ladder(truth, 0, 1), method);
            assertEquals(truth.alpha(), fitted.alpha(), 1e-6, method + " alpha");
            assertEquals(truth.beta(), fitted.beta(), 1e-6, method + " beta");
            assertEquals(truth.gamma(), fitted.gamma(), 1e-6, method + " gamma");
            assertEquals(truth.k(), fitted.k(), 1e-5 * truth.k(), method + " k");
        }
    }

    @Test
    void noisyDataGivesIntervalsThatCoverTheLaw() {
        QidLaw truth = new QidLaw(2.0, 0.25, 0.5, 4.0);
        List<QidObservation> data = ladder(truth, 0.1, 2);
        var logFit = QidFit.fitWithIntervals(data, QidFit.Method.LOG_LINEAR, 400, 3);
        var directFit = QidFit.fitWithIntervals(data, QidFit.Method.NONLINEAR, 400, 3);
        double[] truthValues = {truth.k(), truth.alpha(), truth.beta(), truth.gamma()};
        for (int j = 1; j < 4; j++) {
            assertTrue(logFit.intervals().get(j).contains(truthValues[j]), "log-space coefficient " + j + ": "
                    + logFit.intervals().get(j));
            // On QiD itself the fit weighs the largest QiD (2 bits) most: with multiplicative noise it is the less
            // efficient estimator, so it is held to its own uncertainty (twice its interval's width), not to coverage.
            var interval = directFit.intervals().get(j);
            double error = Math.abs(truthValues[j] - directFit.law().asArray()[j]);
            assertTrue(error <= 2 * (interval.high() - interval.low()), "direct coefficient " + j + " is " + error
                    + " off, interval " + interval);
        }
        assertTrue(logFit.logR2() > 0.95, "R2 " + logFit.logR2());
        assertEquals(72, logFit.used());
        // Projecting to 100T tokens: an interval, containing the true law's value.
        var projected = logFit.interval(l -> l.predict(1.6e7, 1e14, 4));
        assertTrue(projected.contains(truth.predict(1.6e7, 1e14, 4)), projected.toString());
    }

    @Test
    void theTrainingLevelInvertsTheLaw() {
        QidLaw law = QidLaw.PAPER;
        double qid = law.predict(1.6e8, 3e11, 3);
        assertEquals(3e11, law.tokensFor(qid, 1.6e8, 3), 1e-6 * 3e11);
        assertThrows(IllegalArgumentException.class, () -> law.tokensFor(-0.01, 1.6e8, 3));
    }

    @Test
    void negativeQidIsLeftOutOfTheLogFitAndTooLittleDataIsRefused() {
        QidLaw truth = new QidLaw(2.0, 0.25, 0.5, 4.0);
        List<QidObservation> data = new ArrayList<>(ladder(truth, 0, 1));
        data.add(new QidObservation(1e6, 3e7, 8, -0.002));   // 8 bits can come out slightly better than full precision
        var fit = QidFit.fitWithIntervals(data, QidFit.Method.LOG_LINEAR, 10, 1);
        assertEquals(1, fit.leftOut());
        assertEquals(truth.gamma(), fit.law().gamma(), 1e-6);
        List<QidObservation> oneWidth = data.stream().filter(o -> o.bits() == 4).toList();
        var e = assertThrows(ScalpelException.class, () -> QidFit.fit(oneWidth, QidFit.Method.LOG_LINEAR));
        assertTrue(e.getMessage().contains("two bit widths"), e.getMessage());
        assertThrows(ScalpelException.class, () -> QidFit.fit(data.subList(0, 4), QidFit.Method.NONLINEAR));
        assertThrows(IllegalArgumentException.class, () -> new QidObservation(0, 1, 1, 0.1));
    }
}
