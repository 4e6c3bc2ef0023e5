package dev.scalpel.lab.corpus.arithmetic;

import dev.scalpel.lab.corpus.english.Sentences;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a problem's solution: sentences that quote the calculation's equations (so the text cannot disagree
 * with the structured form), then "The answer is N.".
 */
final class Writer {
    private final Calculation calculation;
    private final List<String> sentences = new ArrayList<>();

    Writer(Calculation calculation) {
        this.calculation = calculation;
    }

    /** The equation of step i: "5 + 3 = 8". */
    String eq(int i) {
        return calculation.equation(i);
    }

    /** The value of step i. */
    int value(int i) {
        return calculation.values()[i];
    }

    Writer say(String sentence) {
        sentences.add(Sentences.terminate(Sentences.capitalize(sentence)));
        return this;
    }

    WordProblem problem(int level, String story, String question) {
        sentences.add("The answer is " + calculation.answer() + ".");
        return new WordProblem(level, story, question, String.join(" ", sentences), calculation);
    }
}
