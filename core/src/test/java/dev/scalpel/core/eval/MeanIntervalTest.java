package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seed interval against closed forms of Student's t quantile (df 1 and 2) and a hand computation. */
class MeanIntervalTest {

    @Test
    void threeSeedsTakeTheTQuantileWithTwoDegreesOfFreedom() {
        // df = 2: t_p = (2p - 1) / sqrt(2 p (1 - p)); at p = 0.975 that is 4.3027.
        double p = 0.975;
        double t2 = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        var i = MeanInterval.of(1, 2, 6);
        // mean 3, sample variance ((4 + 1 + 9) / 2) = 7, standard error sqrt(7 / 3)
        assertEquals(3, i.mean(), 1e-12);
        assertEquals(3 - t2 * Math.sqrt(7.0 / 3), i.low(), 1e-9);
        assertEquals(3 + t2 * Math.sqrt(7.0 / 3), i.high(), 1e-9);
        assertEquals("3.00 [-3.57, 9.57]", i.format(2));   // 4.303 x 1.528 = 6.57
        assertTrue(i.excludes(-4) && i.excludes(10) && !i.excludes(0));
    }

    @Test
    void twoSeedsTakeTheCauchyQuantile() {
        // df = 1 is the Cauchy distribution: t_p = tan(pi (p - 1/2)), 12.706 at p = 0.975.
        var i = MeanInterval.of(10, 12);
        double t1 = Math.tan(Math.PI * 0.475);
        assertEquals(11 - t1 * 1, i.low(), 1e-9);   // sd sqrt(2), standard error 1
        assertEquals(11 + t1 * 1, i.high(), 1e-9);
    }

    @Test
    void oneSeedHasNoIntervalAndExcludesNothing() {
        var i = MeanInterval.of(5);
        assertTrue(Double.isNaN(i.low()) && !i.hasInterval());
        assertFalse(i.excludes(0));
        assertEquals("5.0", i.format(1));
    }
}
