package dev.scalpel.bench;

import java.util.Map;

/**
 * One measured number.
 *
 * @param benchmark what was measured, e.g. "decode.gpt2-small"
 * @param engine "scalpel" or the peer's name
 * @param value the median over the repeats
 * @param unit e.g. "tokens/s"
 * @param runs every repeat's value, for the spread
 * @param settings what the run used (shapes, batch, threads)
 */
public record Measurement(String benchmark, String engine, double value, String unit, double[] runs,
                          Map<String, Object> settings) {
}
