package dev.scalpel.edit.run;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A fact file split once into validation facts, on which hyperparameters are chosen, and test facts, from which every
 * reported run draws its sample (a seed per sample): a hyperparameter is then never chosen on the facts it is reported
 * on, and seeds differ in which facts they edit.
 *
 * @param validation the facts hyperparameters are chosen on, in file order
 * @param test the facts reported runs sample from, in file order
 */
public record EditingFacts(List<EditRequest> validation, List<EditRequest> test) {
    /** The split's own seed: fixed, so that every run of every method sees the same split. */
    static final long SPLIT_SEED = 0x5EED_FAC7L;

    public EditingFacts {
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /**
     * {@code validationSize} facts chosen at random (a fixed seed) for validation, the rest for test.
     *
     * @param source the file the facts came from, for the error when it holds too few
     */
    public static EditingFacts split(List<EditRequest> all, int validationSize, String source) {
        if (validationSize < 0 || validationSize >= all.size()) {
            throw new ScalpelException(source + ": holds " + all.size() + " facts, too few to hold out " + validationSize
                    + " for validation and keep test facts");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(SPLIT_SEED));
        boolean[] held = new boolean[all.size()];
        order.subList(0, validationSize).forEach(i -> held[i] = true);
        List<EditRequest> validation = new ArrayList<>();
        List<EditRequest> test = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? validation : test).add(all.get(i));
        }
        return new EditingFacts(validation, test);
    }

    /** {@code n} test facts drawn at random with {@code seed}, in the order they are edited. */
    public List<EditRequest> testSample(int n, long seed) {
        return sample(test, n, seed, "test");
    }

    /** {@code n} validation facts drawn at random with {@code seed}. */
    public List<EditRequest> validationSample(int n, long seed) {
        return sample(validation, n, seed, "validation");
    }

    private static List<EditRequest> sample(List<EditRequest> facts, int n, long seed, String split) {
        if (n > facts.size()) {
            throw new ScalpelException(n + " edits need that many " + split + " facts; the split holds " + facts.size());
        }
        List<EditRequest> shuffled = new ArrayList<>(facts);
        Collections.shuffle(shuffled, new Random(seed));
        return List.copyOf(shuffled.subList(0, n));
    }
}
