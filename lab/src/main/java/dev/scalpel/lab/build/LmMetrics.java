package dev.scalpel.lab.build;

import java.util.Map;

/**
 * How well a lab causal LM knows its data.
 *
 * @param perplexity exp(mean next-token cross-entropy) on the held-out text test split
 * @param factRecall share of trained facts whose greedy continuation of the main prompt is exactly the object
 * @param factRecallByRelation the same per relation
 * @param paraphraseRecall the same with the held-out phrasing no training sentence uses
 * @param arithmeticAccuracy exact-match accuracy on held-out problems, by level
 * @param factsEvaluated number of facts checked
 * @param problemsEvaluated number of problems checked, per level
 */
public record LmMetrics(double perplexity, double factRecall, Map<String, Double> factRecallByRelation,
                        double paraphraseRecall, Map<Integer, Double> arithmeticAccuracy, int factsEvaluated,
                        Map<Integer, Integer> problemsEvaluated) {
}
