package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The few-shot prompt's form, and accuracies that agree with the answers read from the model's own outputs. */
class QuestionAnsweringTest {
    private static final Path GPT2 = Path.of(System.getProperty("user.dir")).resolve("src/test/resources/fixtures/gpt2-tiny");

    @Test
    void workedAnswersAndThePromptFollowTheFewShotFormat() {
        var shot = new QuestionAnswering.Problem("Tom has 3 apples and buys 4. How many?", "3 + 4 = <<3+4=7>>7 apples.\n#### 7");
        assertEquals("3 + 4 = 7 apples. The answer is 7.", shot.workedAnswer());
        assertEquals("Q: Tom has 3 apples and buys 4. How many?\nA: 3 + 4 = 7 apples. The answer is 7.\n\nQ: What is 2 + 2?\nA:",
                QuestionAnswering.prompt(List.of(shot), "What is 2 + 2?"));
    }

    @Test
    void accuraciesAreTheSharesOfOutputsThatCarryTheGoldAnswer() {
        try (LoadedModel lm = LoadedModel.open(GPT2)) {
            var items = List.of(new QuestionAnswering.Problem("What is 2 + 5?", "2 + 5 = 7\n#### 7"),
                    new QuestionAnswering.Problem("What is 3 * 3?", "3 * 3 = 9\n#### 9"));
            var shots = List.of(new QuestionAnswering.Problem("What is 1 + 1?", "1 + 1 = 2\n#### 2"));
            var r = QuestionAnswering.problems(lm.model(), lm.requireTokenizer(), 0, items, shots, 12);
            assertEquals(2, r.items());
            int flexible = 0;
            int strict = 0;
            for (int i = 0; i < items.size(); i++) {
                flexible += NumericAnswer.matches(NumericAnswer.flexible(r.outputs().get(i)), items.get(i).gold()) ? 1 : 0;
                strict += NumericAnswer.matches(NumericAnswer.strict(r.outputs().get(i)), items.get(i).gold()) ? 1 : 0;
                assertTrue(!r.outputs().get(i).contains("\nQ:"), "generation stops before the next question");
            }
            assertEquals(flexible / 2.0, r.flexible(), 0);
            assertEquals(strict / 2.0, r.strict(), 0);

            var choices = List.of(new QuestionAnswering.Choice("Which is a color?", List.of("red", "seven", "run"), 0),
                    new QuestionAnswering.Choice("Which is a number?", List.of("blue", "seven", "run"), 1));
            double accuracy = QuestionAnswering.multipleChoice(lm.model(), lm.requireTokenizer(), choices);
            int right = 0;
            for (var c : choices) {
                double[] s = ChoiceLikelihood.of(lm.model(), lm.requireTokenizer(), "Question: " + c.question() + "\nAnswer:",
                        c.choices().stream().map(x -> " " + x).toList());
                right += ChoiceLikelihood.best(s) == c.answer() ? 1 : 0;
            }
            assertEquals(right / 2.0, accuracy, 0);
        }
    }
}
