/**
 * How well an edit took and what it broke, as the editing papers score it: efficacy, paraphrase and neighborhood
 * scores from the target's probability ({@link dev.scalpel.edit.metrics.TargetScorer},
 * {@link dev.scalpel.edit.metrics.EditEvaluator}, {@link dev.scalpel.edit.metrics.EditMetrics}) and fluency as n-gram
 * entropy of generated text ({@link dev.scalpel.edit.metrics.NgramEntropy}).
 */
package dev.scalpel.edit.metrics;
