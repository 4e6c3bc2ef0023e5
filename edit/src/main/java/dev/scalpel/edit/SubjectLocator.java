package dev.scalpel.edit;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.text.Tokenizer;

/**
 * The position of the subject's last token in a prompt: tokenize the text before {@code {}} plus the subject and take
 * the last index. Because both sides go through the same tokenizer (BOS included when it adds one), this is right with
 * and without a BOS token.
 */
public final class SubjectLocator {
    private SubjectLocator() {
    }

    /**
     * @param template text with {@code {}} where the subject goes (anything after it is ignored)
     */
    public static int lastSubjectToken(Tokenizer tokenizer, String template, String subject) {
        int at = template.indexOf("{}");
        if (at < 0) {
            throw new ScalpelException("template '" + template + "' has no {} for the subject");
        }
        return tokenizer.encode(template.substring(0, at) + subject).length - 1;
    }
}
