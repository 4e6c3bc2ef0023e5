package dev.scalpel.edit;

import java.util.List;

/**
 * One fact to rewrite, with the prompts that measure the rewrite: the common form of a CounterFact record, a zsRE
 * record and a lab fact.
 *
 * @param caseId the record's id in its dataset
 * @param prompt the rewrite prompt with {@code {}} where the subject goes: "{} is a kind of"
 * @param subject "poodle"
 * @param targetNew what the edit should make the model say, without leading space: "cat"
 * @param targetTrue what the model said before, without leading space: "dog"
 * @param paraphrasePrompts other phrasings of the same fact (already filled)
 * @param neighborhoodPrompts prompts about other subjects whose answer must not change (already filled)
 * @param neighborhoodTargets the answer each neighborhood prompt must keep (CounterFact: target_true for all;
 *     zsRE: loc_ans)
 * @param generationPrompts prompts for free generation (fluency, consistency)
 */
public record EditRequest(String caseId, String prompt, String subject, String targetNew, String targetTrue,
                          List<String> paraphrasePrompts, List<String> neighborhoodPrompts,
                          List<String> neighborhoodTargets, List<String> generationPrompts) {
    public EditRequest {
        if (!prompt.contains("{}")) {
            throw new IllegalArgumentException("edit " + caseId + ": prompt '" + prompt + "' has no {} for the subject");
        }
        paraphrasePrompts = List.copyOf(paraphrasePrompts);
        neighborhoodPrompts = List.copyOf(neighborhoodPrompts);
        neighborhoodTargets = List.copyOf(neighborhoodTargets);
        if (neighborhoodTargets.size() != neighborhoodPrompts.size()) {
            throw new IllegalArgumentException("edit " + caseId + ": " + neighborhoodPrompts.size()
                    + " neighborhood prompts but " + neighborhoodTargets.size() + " targets");
        }
        generationPrompts = List.copyOf(generationPrompts);
    }

    /** The rewrite prompt with the subject in place: "A poodle is a kind of". */
    public String filledPrompt() {
        return prompt.replace("{}", subject);
    }
}
