/**
 * Arithmetic word problems with worked solutions, in GSM8K's shape ({question, answer, level}, where the answer is
 * the worked solution) but ending exactly "The answer is N." (the strict format MathNeuro's evaluation matches).
 *
 * <p>Levels: 1, one addition or subtraction of numbers up to 20 in a two-sentence story; 2, two additions or
 * subtractions with numbers up to 40; 3, three steps with a multiplication or a division; 4, four steps mixing all
 * four operations with larger numbers. Every problem keeps its structured form ({@link
 * dev.scalpel.lab.corpus.arithmetic.Calculation}), from which the solution's equations are written and from which tests
 * recompute every answer.
 *
 * <p>Held out: no question text appears in two splits, and a seeded 20% of each level's number combinations (the
 * operations and operands, whatever the story) appear only in validation or test. The single sums inside a held-out
 * combination may still occur as steps of other levels' problems: the test measures solving new problems, not
 * discovering facts like 7 + 9 = 16 never seen.
 */
package dev.scalpel.lab.corpus.arithmetic;
