package dev.scalpel.lab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fisher-Yates with {@link Random}, whose algorithm the JDK specifies, so a seed gives the same order on every JVM.
 * Written out rather than {@code Collections.shuffle} to keep that guarantee in our own code.
 */
public final class Shuffle {
    private Shuffle() {}

    public static <T> List<T> shuffled(List<T> items, Random random) {
        List<T> copy = new ArrayList<>(items);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy;
    }

    public static <T> List<T> shuffled(List<T> items, long seed, String purpose) {
        return shuffled(items, new Random(StableHash.derive(seed, purpose)));
    }
}
