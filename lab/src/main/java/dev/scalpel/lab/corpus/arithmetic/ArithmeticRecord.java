package dev.scalpel.lab.corpus.arithmetic;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One line of the arithmetic jsonl files, GSM8K-style: {@code answer} is the worked solution, not just the number. */
@JsonPropertyOrder({"question", "answer", "level"})
public record ArithmeticRecord(String question, String answer, int level) {}
