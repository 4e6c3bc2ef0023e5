package dev.scalpel.interpret.data;

/**
 * What a classifier reads of an e-mail: its decoded subject and its text body.
 *
 * @param malformed true when MIME parsing failed and the body is the raw text after the headers, undecoded
 */
public record MailText(String subject, String body, boolean malformed) {
    /** The subject, a blank line, then the body; whichever is empty is left out. */
    public String text() {
        if (subject.isEmpty()) {
            return body;
        }
        return body.isEmpty() ? subject : subject + "\n\n" + body;
    }
}
