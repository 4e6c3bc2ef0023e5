package dev.scalpel.lab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Items of one corpus divided into train, validation and test; every list is immutable. */
public record Splits<T>(List<T> train, List<T> validation, List<T> test) {
    public Splits {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    public List<T> get(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }

    /** Train, then validation, then test. */
    public List<T> all() {
        List<T> all = new ArrayList<>(size());
        all.addAll(train);
        all.addAll(validation);
        all.addAll(test);
        return all;
    }

    public int size() {
        return train.size() + validation.size() + test.size();
    }

    public <R> Splits<R> map(Function<T, R> f) {
        return new Splits<>(train.stream().map(f).toList(), validation.stream().map(f).toList(),
                test.stream().map(f).toList());
    }
}
