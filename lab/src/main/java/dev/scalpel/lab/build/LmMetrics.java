package dev.scalpel.lab.build;

import java.util.Map;

/**
 * How well a lab causal LM knows its data.
 *
 * @param split which held-out split the prose and problems came from ("validation" to choose, "test" to report)
 * @param perplexity exp(mean next-token cross-entropy) on that split's prose
 * @param kn4Perplexity the same for an interpolated modified Kneser-Ney 4-gram model trained on the training prose
 *                      tokens, scoring exactly the same targets
 * @param factRecall share of trained facts whose greedy continuation of the main prompt is exactly the object
 * @param factRecallByRelation the same per relation
 * @param paraphraseRecall the same over every phrasing never trained with the fact (withheld from it or from all)
 * @param heldOutPhrasingRecall the same over the phrasings no fact is trained in
 * @param arithmeticAccuracy exact-match accuracy on that split's problems, by level
 * @param factsEvaluated number of facts checked
 * @param problemsEvaluated number of problems checked, per level
 */
public record LmMetrics(String split, double perplexity, double kn4Perplexity, double factRecall,
                        Map<String, Double> factRecallByRelation, double paraphraseRecall, double heldOutPhrasingRecall,
                        Map<Integer, Double> arithmeticAccuracy, int factsEvaluated, Map<Integer, Integer> problemsEvaluated) {

    /** How far below the n-gram baseline the model's perplexity is (0.25 = 25% below). */
    public double reductionBelowKn4() {
        return 1 - perplexity / kn4Perplexity;
    }
}
