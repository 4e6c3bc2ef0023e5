package dev.scalpel.lab.corpus.arithmetic;

import java.util.List;

/** One difficulty level: writes a random problem of that level from its stories. */
interface Level {
    int number();

    WordProblem generate(Picker pick);

    static List<Level> all() {
        return List.of(new LevelOne(), new LevelTwo(), new LevelThree(), new LevelFour());
    }
}
