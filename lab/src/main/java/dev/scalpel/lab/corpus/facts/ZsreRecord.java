package dev.scalpel.lab.corpus.facts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One record of zsRE as published for MEND/ROME/MEMIT ({@code zsre_mend_eval.json}, read by {@code dsets/zsre.py}):
 * the same nine fields in the same order. {@code loc} starts with "nq question: " and has no question mark, like the
 * Natural Questions entries it replaces (MEMIT's reader asserts the prefix and appends "?"); {@code pred} is the true
 * object, which a model trained on the lab facts predicts; {@code cond} is "pred >> alt || src".
 */
@JsonPropertyOrder({"subject", "src", "pred", "rephrase", "alt", "answers", "loc", "loc_ans", "cond"})
public record ZsreRecord(
        @JsonProperty("subject") String subject,
        @JsonProperty("src") String src,
        @JsonProperty("pred") String pred,
        @JsonProperty("rephrase") String rephrase,
        @JsonProperty("alt") String alt,
        @JsonProperty("answers") List<String> answers,
        @JsonProperty("loc") String loc,
        @JsonProperty("loc_ans") String locAns,
        @JsonProperty("cond") String cond) {

    /** The prefix MEMIT's zsRE reader requires on {@code loc}. */
    public static final String LOC_PREFIX = "nq question: ";
}
