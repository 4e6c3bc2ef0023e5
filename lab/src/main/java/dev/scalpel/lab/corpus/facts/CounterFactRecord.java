package dev.scalpel.lab.corpus.facts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One record of CounterFact as published with ROME and MEMIT ({@code counterfact.json}, read by
 * {@code dsets/counterfact.py}): the same field names, nesting, order and JSON types. Target strings carry no leading
 * space, as in the published file; evaluation code adds it. Lab facts have no ParaRel origin, so
 * {@code pararel_idx} is -1.
 */
@JsonPropertyOrder({"case_id", "pararel_idx", "requested_rewrite", "paraphrase_prompts", "neighborhood_prompts",
        "attribute_prompts", "generation_prompts"})
public record CounterFactRecord(
        @JsonProperty("case_id") int caseId,
        @JsonProperty("pararel_idx") int pararelIdx,
        @JsonProperty("requested_rewrite") RequestedRewrite requestedRewrite,
        @JsonProperty("paraphrase_prompts") List<String> paraphrasePrompts,
        @JsonProperty("neighborhood_prompts") List<String> neighborhoodPrompts,
        @JsonProperty("attribute_prompts") List<String> attributePrompts,
        @JsonProperty("generation_prompts") List<String> generationPrompts) {

    /** The edit: the prompt with "{}" for the subject, the relation, the new and the true object. */
    @JsonPropertyOrder({"prompt", "relation_id", "target_new", "target_true", "subject"})
    public record RequestedRewrite(
            @JsonProperty("prompt") String prompt,
            @JsonProperty("relation_id") String relationId,
            @JsonProperty("target_new") Target targetNew,
            @JsonProperty("target_true") Target targetTrue,
            @JsonProperty("subject") String subject) {}

    /** An object: its text and an id (CounterFact uses Wikidata ids; lab facts use WordNet 3.1 synset ids). */
    @JsonPropertyOrder({"str", "id"})
    public record Target(@JsonProperty("str") String str, @JsonProperty("id") String id) {}
}
