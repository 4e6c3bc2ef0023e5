package dev.scalpel.lab.corpus;

import dev.scalpel.lab.corpus.facts.Fact;
import java.util.List;

/**
 * The exact text of training documents and evaluation prompts, in one place so that training and evaluation cannot
 * drift apart.
 *
 * <ul>
 *   <li>Text: the document's text as is.</li>
 *   <li>Facts: training sentences of different facts joined by one space ("A poodle is a kind of dog. Paris is a
 *       national capital. ..."); recall is evaluated with {@link Fact#filledPrompt()} ("A poodle is a kind of") and
 *       the next token(s) compared with {@link Fact#target()} (" dog").</li>
 *   <li>Arithmetic: {@code "Question: " + question + "\nAnswer: " + solution}; evaluated with
 *       {@code "Question: " + question + "\nAnswer:"}, the model's continuation read up to "The answer is N." and N
 *       compared with the problem's answer.</li>
 * </ul>
 */
public final class DocumentFormats {
    public static final String QUESTION = "Question: ";
    public static final String ANSWER = "\nAnswer:";

    private DocumentFormats() {}

    public static String factDocument(List<String> sentences) {
        return String.join(" ", sentences);
    }

    public static String arithmeticDocument(String question, String solution) {
        return arithmeticPrompt(question) + " " + solution;
    }

    /** What a model is given to solve a problem; its answer begins with a space. */
    public static String arithmeticPrompt(String question) {
        return QUESTION + question + ANSWER;
    }

    /** What a model is given to recall a fact; the target follows with its leading space. */
    public static String factPrompt(Fact fact) {
        return fact.filledPrompt();
    }
}
