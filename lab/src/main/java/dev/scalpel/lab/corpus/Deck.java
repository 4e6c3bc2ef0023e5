package dev.scalpel.lab.corpus;

import java.util.List;
import java.util.Random;

/**
 * Deals items in a seeded random order, reshuffling for every pass, so every item is dealt once per pass (epoch) and
 * the order differs between passes.
 */
final class Deck<T> {
    private final List<T> items;
    private final long seed;
    private final String name;
    private List<T> order;
    private int position;
    private int pass;

    Deck(List<T> items, long seed, String name) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("deck '" + name + "' has nothing to deal");
        }
        this.items = List.copyOf(items);
        this.seed = seed;
        this.name = name;
        this.order = shuffle(0);
    }

    T next() {
        if (position == order.size()) {
            pass++;
            order = shuffle(pass);
            position = 0;
        }
        return order.get(position++);
    }

    private List<T> shuffle(int pass) {
        return Shuffle.shuffled(items, new Random(StableHash.derive(seed, "deck:" + name + ":" + pass)));
    }
}
