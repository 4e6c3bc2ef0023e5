package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gives every draft the parts that depend on the whole corpus, its neighborhood prompts and its counterfactual
 * target, and drops drafts that cannot have them or whose object has too few subjects left. Dropping one can take the
 * last neighbor, the only target or the minimum of subjects from another, so it repeats until nothing changes.
 */
final class Completion {
    /** The drafts kept, with their neighborhood prompts and new targets by fact id. */
    record Result(List<Draft> drafts, Neighborhoods neighborhoods, Map<String, List<String>> neighbors,
            Map<String, CounterfactualTargets.Option> targets) {}

    private Completion() {}

    static Result complete(List<Draft> drafts, WordNet wordNet, long seed, int minSubjectsPerObject) {
        Map<String, Set<String>> trueWords = new HashMap<>();
        for (Draft d : drafts) {
            trueWords.put(d.id(), TrueObjects.of(wordNet, d.candidate().subjectSynset(), d.relation()));
        }
        while (true) {
            Neighborhoods neighborhoods = new Neighborhoods(drafts, seed);
            CounterfactualTargets counterfactuals = new CounterfactualTargets(drafts, wordNet, seed);
            Map<String, Integer> subjectsPerObject = new HashMap<>();
            for (Draft d : drafts) {
                subjectsPerObject.merge(objectKey(d), 1, Integer::sum);
            }
            Map<String, List<String>> neighbors = new HashMap<>();
            Map<String, CounterfactualTargets.Option> targets = new HashMap<>();
            List<Draft> kept = new ArrayList<>();
            for (Draft d : drafts) {
                if (subjectsPerObject.get(objectKey(d)) < minSubjectsPerObject) {
                    continue;
                }
                List<String> prompts = neighborhoods.prompts(d.id(), d.relation(), d.object(), d.candidate().subject());
                Optional<CounterfactualTargets.Option> target = counterfactuals.choose(d, trueWords.get(d.id()));
                if (!prompts.isEmpty() && target.isPresent()) {
                    kept.add(d);
                    neighbors.put(d.id(), prompts);
                    targets.put(d.id(), target.get());
                }
            }
            if (kept.size() == drafts.size()) {
                return new Result(kept, neighborhoods, neighbors, targets);
            }
            drafts = kept;
        }
    }

    private static String objectKey(Draft d) {
        return d.relation().key() + ":" + d.object();
    }
}
