package dev.scalpel.lab.corpus;

/** The three parts every corpus is divided into; {@link #fileName()} is the jsonl file stem ("train.jsonl"). */
public enum Split {
    TRAIN("train"),
    VALIDATION("validation"),
    TEST("test");

    private final String fileName;

    Split(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
