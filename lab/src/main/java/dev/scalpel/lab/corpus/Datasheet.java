package dev.scalpel.lab.corpus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A corpus's datasheet: where the data comes from, under which license, how it was made, how much there is, and the
 * content hash a model records to say which data it saw. Written as {@code datasheet.json} and {@code datasheet.md}.
 *
 * @param corpus      "text", "facts" or "arithmetic" (also the folder name)
 * @param title       one line
 * @param source      where the content comes from
 * @param license     the license, in full where its terms require it
 * @param howMade     how the corpus was made, in prose
 * @param formats     the exact record and document formats
 * @param seed        the seed it was built with
 * @param profile     the size profile
 * @param counts      named counts; "train.records", "validation.records", "test.records" are the jsonl line counts
 * @param files       data file name to its SHA-256
 * @param contentHash {@link ContentHash#ofFiles} of {@code files}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"corpus", "title", "source", "licence", "howMade", "formats", "seed", "profile", "counts", "files",
        "contentHash"})
public record Datasheet(String corpus, String title, String source,
                        // The datasheet key keeps its first spelling: corpora already written hash to what they did.
                        @JsonProperty("licence") String license, String howMade, String formats,
        long seed, String profile, Map<String, Number> counts, Map<String, String> files, String contentHash) {

    public Datasheet {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Datasheet: ").append(corpus).append(" corpus\n\n").append(title).append("\n\n");
        md.append("- seed: ").append(seed).append("\n- profile: ").append(profile).append("\n- content hash (SHA-256): `")
                .append(contentHash).append("`\n\n");
        md.append("## Source\n\n").append(source).append("\n\n");
        md.append("## How it was made\n\n").append(howMade).append("\n\n");
        md.append("## Formats\n\n").append(formats).append("\n\n");
        md.append("## Counts\n\n| count | value |\n|---|---|\n");
        counts.forEach((name, value) -> md.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        md.append("\n## Files\n\n| file | SHA-256 |\n|---|---|\n");
        files.forEach((name, hash) -> md.append("| ").append(name).append(" | `").append(hash).append("` |\n"));
        md.append("\n## License\n\n```\n").append(license.strip()).append("\n```\n");
        return md.toString();
    }
}
