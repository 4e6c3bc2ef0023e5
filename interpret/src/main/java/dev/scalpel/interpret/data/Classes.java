package dev.scalpel.interpret.data;

import dev.scalpel.core.ScalpelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Labels as class ids: the distinct labels sorted (as scikit-learn orders classes), each example's label as its
 * position in that list. Classifiers and splits work on the ids, so no string is compared in an inner loop.
 *
 * @param names the class names, sorted; id {@code c} is {@code names.get(c)}
 * @param ids one class id per example
 */
public record Classes(List<String> names, int[] ids) {
    public Classes {
        names = List.copyOf(names);
        ids = ids.clone();
    }

    public static Classes of(List<String> labels) {
        List<String> names = new ArrayList<>(new TreeSet<>(labels));
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[] ids = new int[labels.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.get(labels.get(i));
        }
        return new Classes(names, ids);
    }

    public static Classes ofTexts(List<LabeledText> data) {
        return of(data.stream().map(LabeledText::label).toList());
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    public int count() {
        return names.size();
    }

    public int size() {
        return ids.length;
    }

    /** Examples per class, by class id. */
    public int[] counts() {
        int[] counts = new int[names.size()];
        for (int c : ids) {
            counts[c]++;
        }
        return counts;
    }

    /** An error unless there are at least two classes: a classifier needs something to tell apart. */
    public Classes requireTwo(String source) {
        if (names.size() < 2) {
            throw new ScalpelException(source + ": only one label (" + names + "); a classifier needs at least two");
        }
        return this;
    }
}
