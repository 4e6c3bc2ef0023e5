package dev.scalpel.lab.corpus.arithmetic;

/** One equation of a solution: left op right. */
public record Step(Operand left, Op op, Operand right) {}
