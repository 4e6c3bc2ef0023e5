package dev.scalpel.interpret.data;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Apache SpamAssassin public mail corpus as bundled with Scalpel ({@value #RESOURCE}; see DATASHEET.md beside it):
 * 6,046 real e-mails, 1,896 spam and 4,150 ham, in five groups: easy-ham-1 (2,500), easy-ham-2 (1,400), hard-ham-1
 * (250: legitimate mail that looks like spam, reported separately), spam-1 (500) and spam-2 (1,396).
 *
 * <p>Each example's text is the message's decoded subject and text body ({@link MimeMail}); its label is {@code spam}
 * or {@code ham}, its group the corpus folder it came from.
 *
 * @param texts the examples, in the file's order
 * @param malformed how many messages mime4j could not read (their body is the raw text after the headers)
 */
public record SpamAssassin(List<LabeledText> texts, int malformed) {
    public static final String RESOURCE = "/datasets/spam-assassin/spam-assassin.jsonl.gz";
    /** The group of legitimate mail that looks like spam. */
    public static final String HARD_HAM = "hard-ham-1";
    /** The word commands accept in place of a data file. */
    public static final String NAME = "spam-assassin";

    /** Parses the bundled corpus (a few seconds: every message goes through mime4j). */
    public static SpamAssassin load() {
        List<String[]> rows = new ArrayList<>(6046);   // id, group, label, raw
        try (InputStream in = SpamAssassin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ScalpelException(RESOURCE + " is missing from the class path (it ships in scalpel-interpret's jar)");
            }
            JsonLines.forEach(RESOURCE, in, (line, o) -> rows.add(new String[] {
                JsonLines.textField(RESOURCE, line, o, "id"), JsonLines.textField(RESOURCE, line, o, "group"),
                JsonLines.textField(RESOURCE, line, o, "label"), JsonLines.textField(RESOURCE, line, o, "raw")}));
        } catch (IOException e) {
            throw new ScalpelException(RESOURCE + ": cannot read: " + e.getMessage(), e);
        }
        MailText[] parsed = rows.parallelStream().map(r -> MimeMail.parse(r[3])).toArray(MailText[]::new);
        List<LabeledText> texts = new ArrayList<>(rows.size());
        int malformed = 0;
        for (int i = 0; i < parsed.length; i++) {
            String[] r = rows.get(i);
            texts.add(new LabeledText(r[0], parsed[i].text(), r[2], r[1]));
            malformed += parsed[i].malformed() ? 1 : 0;
        }
        return new SpamAssassin(List.copyOf(texts), malformed);
    }

    /** Examples per group, by group name. */
    public Map<String, Integer> groupCounts() {
        return counts(true);
    }

    /** Examples per label, by label. */
    public Map<String, Integer> labelCounts() {
        return counts(false);
    }

    private Map<String, Integer> counts(boolean byGroup) {
        Map<String, Integer> counts = new TreeMap<>();
        for (LabeledText t : texts) {
            counts.merge(byGroup ? t.group() : t.label(), 1, Integer::sum);
        }
        return counts;
    }
}
