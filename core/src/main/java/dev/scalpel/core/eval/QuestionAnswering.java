package dev.scalpel.core.eval;

import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Accuracy on question answering the way the papers measure it: GSM8K-style problems by greedy chain-of-thought
 * generation after few-shot "Q: / A:" examples, read strictly ("The answer is N") and flexibly (the last number); and
 * multiple choice by log-likelihood ({@link ChoiceLikelihood}).
 */
public final class QuestionAnswering {
    private static final Pattern CALCULATOR = Pattern.compile("<<[^>]*>>");

    /** A GSM8K item: the question and its solution, which ends in "#### N". */
    public record Problem(String question, String solution) {
        /** The solution as a worked answer: calculator annotations removed, "#### N" as "The answer is N." */
        public String workedAnswer() {
            String s = CALCULATOR.matcher(solution).replaceAll("");
            int at = s.indexOf("####");
            return at < 0 ? s.strip() : (s.substring(0, at).strip() + " The answer is "
                    + s.substring(at + 4).strip() + ".").strip();
        }

        public String gold() {
            return NumericAnswer.gold(solution).orElseThrow(() -> new IllegalArgumentException(
                    "a GSM8K solution ends in '#### N': " + solution));
        }
    }

    /** A multiple-choice item: the index of the right choice. */
    public record Choice(String question, List<String> choices, int answer) {
    }

    /** Strict and flexible accuracy, and what the model wrote for each problem. */
    public record Result(int items, double strict, double flexible, List<String> outputs) {
    }

    private QuestionAnswering() {
    }

    /** The few-shot prompt: each example as "Q: question\nA: worked answer", then the question. */
    public static String prompt(List<Problem> shots, String question) {
        StringBuilder p = new StringBuilder();
        for (Problem s : shots) {
            p.append("Q: ").append(s.question()).append("\nA: ").append(s.workedAnswer()).append("\n\n");
        }
        return p.append("Q: ").append(question).append("\nA:").toString();
    }

    public static Result problems(TransformerModel model, Tokenizer tokenizer, long padId, List<Problem> items,
                                  List<Problem> shots, int maxNewTokens) {
        Generator generator = new Generator(model, tokenizer, padId);
        int strict = 0;
        int flexible = 0;
        List<String> outputs = new ArrayList<>();
        int context = model.config().maxPositions();
        for (Problem item : items) {
            long[] ids = tokenizer.encode(prompt(shots, item.question()), true);
            int room = Math.max(1, context - maxNewTokens);
            long[] prompt = ids.length > room ? Arrays.copyOfRange(ids, ids.length - room, ids.length) : ids;
            var request = GenerationRequest.greedy(prompt, Math.min(maxNewTokens, context - prompt.length))
                    .withStopStrings(List.of("\n\nQ:", "\nQ:"));
            String text = generator.generate(request).texts().getFirst();
            outputs.add(text);
            strict += NumericAnswer.matches(NumericAnswer.strict(text), item.gold()) ? 1 : 0;
            flexible += NumericAnswer.matches(NumericAnswer.flexible(text), item.gold()) ? 1 : 0;
        }
        return new Result(items.size(), items.isEmpty() ? 0 : (double) strict / items.size(),
                items.isEmpty() ? 0 : (double) flexible / items.size(), outputs);
    }

    /** The share of items whose most likely choice (after "Question: q\nAnswer:") is the right one. */
    public static double multipleChoice(TransformerModel model, Tokenizer tokenizer, List<Choice> items) {
        int right = 0;
        for (Choice item : items) {
            double[] scores = ChoiceLikelihood.of(model, tokenizer, "Question: " + item.question() + "\nAnswer:",
                    item.choices().stream().map(c -> " " + c).toList());
            right += ChoiceLikelihood.best(scores) == item.answer() ? 1 : 0;
        }
        return items.isEmpty() ? 0 : (double) right / items.size();
    }
}
