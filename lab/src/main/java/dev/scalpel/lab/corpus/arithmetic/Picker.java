package dev.scalpel.lab.corpus.arithmetic;

import java.util.List;
import java.util.Random;

/**
 * Seeded choices for stories: numbers in a range and words from the lists. Uses only {@link Random#nextInt(int)},
 * whose algorithm the JDK specifies, so a seed writes the same problems on every JVM.
 */
final class Picker {
    private final Random random;

    Picker(Random random) {
        this.random = random;
    }

    /** A whole number from lo to hi, both included. */
    int between(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
        return lo + random.nextInt(hi - lo + 1);
    }

    <T> T one(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** An item of the list other than the ones given, for second and third characters. */
    @SafeVarargs
    final <T> T other(List<T> items, T... not) {
        while (true) {
            T t = one(items);
            if (!List.of(not).contains(t)) {
                return t;
            }
        }
    }

    WordLists.Person person() {
        return one(WordLists.PEOPLE);
    }

    WordLists.Item item() {
        return one(WordLists.ITEMS);
    }

    WordLists.Item bakedItem() {
        return one(WordLists.ITEMS.stream().filter(WordLists.Item::baked).toList());
    }
}
