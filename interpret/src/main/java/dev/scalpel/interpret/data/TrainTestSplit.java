package dev.scalpel.interpret.data;

/**
 * Which examples train and which test; indices into the data set, ascending, disjoint.
 */
public record TrainTestSplit(int[] train, int[] test) {
    public TrainTestSplit {
        train = train.clone();
        test = test.clone();
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] test() {
        return test.clone();
    }

    public int trainSize() {
        return train.length;
    }

    public int testSize() {
        return test.length;
    }
}
