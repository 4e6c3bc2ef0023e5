package dev.scalpel.lab.corpus;

/**
 * How big the corpora are. {@link #TINY} is for unit tests (a few hundred items per corpus); {@link #DEFAULT} is what
 * the lab's models train on: all of WordNet's glosses (about 2.5 million tokens), all the prose (about 2 million words), a few thousand facts, and tens of
 * thousands of arithmetic problems.
 *
 * @param name                   written into datasheets
 * @param textSynsets            how many synsets become text documents (a seeded sample; {@code Integer.MAX_VALUE}
 *                               for all)
 * @param factsPerRelation       at most this many facts per relation, the most common subjects first
 * @param maxSubjectsPerObject   at most this many subjects share one object, so no object ("person") dominates and
 *                               always answering it cannot pass as recall
 * @param minSubjectsPerObject   objects need at least this many subjects, so every fact has neighborhood prompts
 * @param problemsPerLevel       arithmetic problems per difficulty level in the training split
 * @param heldOutProblemsPerLevel arithmetic problems per level in each of validation and test
 * @param validationFraction     share of synsets (and so of text and facts) in validation
 * @param testFraction           share of synsets in test (and, per work, of prose documents)
 * @param proseDocuments         at most this many prose documents, shared between the works ({@code Integer.MAX_VALUE}
 *                               for all)
 * @param prosePassagesPerDocument at most this many passages of each prose document (tiny corpora keep a few)
 */
public record Profile(String name, int textSynsets, int factsPerRelation, int maxSubjectsPerObject,
        int minSubjectsPerObject, int problemsPerLevel, int heldOutProblemsPerLevel, double validationFraction,
        double testFraction, int proseDocuments, int prosePassagesPerDocument) {

    public static final Profile TINY = new Profile("tiny", 400, 60, 8, 3, 60, 15, 0.05, 0.05, 24, 3);
    public static final Profile DEFAULT = new Profile("default", Integer.MAX_VALUE, 1200, 40, 3, 5000, 300, 0.05, 0.05,
            Integer.MAX_VALUE, Integer.MAX_VALUE);

    public Profile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("profile needs a name");
        }
        if (textSynsets < 1 || factsPerRelation < 1 || problemsPerLevel < 1 || heldOutProblemsPerLevel < 1
                || proseDocuments < 1 || prosePassagesPerDocument < 1) {
            throw new IllegalArgumentException("profile '" + name + "': every corpus needs at least one item");
        }
        if (minSubjectsPerObject < 2 || maxSubjectsPerObject < minSubjectsPerObject) {
            throw new IllegalArgumentException("profile '" + name + "': objects need at least 2 subjects (neighborhood"
                    + " prompts) and the cap must not be below the minimum");
        }
    }
}
