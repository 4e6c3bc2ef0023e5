package dev.scalpel.lab.corpus.prose;

/**
 * One whole work of the prose corpus as packaged: a State of the Union address or a chapter of Moby-Dick. Splits are
 * made by document, so no sentence of a held-out document was ever trained on.
 *
 * @param id    stable and unique across works ("sotu:1790_george_washington_n", "moby-dick:003")
 * @param work  "sotu" or "moby-dick"
 * @param title "1790 George Washington", "The Spouter-Inn."
 * @param text  the text as packaged
 */
public record ProseDocument(String id, String work, String title, String text) {
    public ProseDocument {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("prose document " + id + " has no text");
        }
    }

    public int words() {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }
}
