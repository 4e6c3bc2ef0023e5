package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GSM8K's answer formats: gold after ####, strict "The answer is N", flexible last number, compared by value. */
class NumericAnswerTest {

    @Test
    void goldStrictAndFlexibleAnswersAreReadAndComparedByValue() {
        String solution = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72";
        assertEquals(Optional.of("72"), NumericAnswer.gold(solution));
        assertEquals(Optional.of("1,000"), NumericAnswer.gold("... #### 1,000"));
        String generated = "She sold 24 in May, so 48 + 24 = 72. The answer is 72.";
        assertEquals(Optional.of("72"), NumericAnswer.strict(generated));
        assertEquals(Optional.of("72"), NumericAnswer.flexible(generated));
        assertTrue(NumericAnswer.matches(NumericAnswer.strict(generated), "72"));
        assertTrue(NumericAnswer.matches(Optional.of("$1,000.00"), "1000"), "commas, dollars, trailing zeros");
        assertTrue(NumericAnswer.matches(Optional.of("7."), "7"), "a sentence's final period");
        assertFalse(NumericAnswer.matches(Optional.of("71"), "72"));
        assertFalse(NumericAnswer.matches(Optional.empty(), "72"));
        assertFalse(NumericAnswer.matches(Optional.of("..."), "72"), "no number at all");
        // Strict needs the phrase; flexible takes the last number, right or wrong.
        String rambling = "First 48, then 24, so maybe 70";
        assertEquals(Optional.empty(), NumericAnswer.strict(rambling));
        assertEquals(Optional.of("70"), NumericAnswer.flexible(rambling));
        assertEquals(Optional.of("-3"), NumericAnswer.flexible("the change is -3"));
    }
}
