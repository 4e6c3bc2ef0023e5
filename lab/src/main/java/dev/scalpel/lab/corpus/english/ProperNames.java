package dev.scalpel.lab.corpus.english;

import java.util.Set;

/**
 * Place names that take "the" ("the United States", "the Netherlands", "the Czech Republic"). Facts leave them out
 * rather than juggle articles around the subject: the remaining thousands of names read right without one.
 */
public final class ProperNames {
    /** Last words that make a name need "the": plural place names and state-like titles. */
    private static final Set<String> HEADS_WITH_THE = Set.of("States", "Islands", "Isles", "Kingdom", "Republic",
            "Emirates", "Netherlands", "Philippines", "Bahamas", "Maldives", "Seychelles", "Comoros", "Gambia", "Congo",
            "Union", "Federation", "Mountains", "Hills", "Alps", "Andes", "Highlands", "Lowlands", "Keys", "Lakes",
            "Falls", "Heights", "Indies", "Midlands", "Territories", "Provinces", "Hague", "Riviera",
            "Levant", "Orient", "Mideast", "Maghreb", "Occident", "Vatican", "Crimea", "Caribbean", "Balkans", "Tropics", "Arctic",
            "Antarctic", "South", "North", "East", "West", "Midwest", "Southwest", "Northwest", "Northeast", "Southeast",
            "Ocean", "Sea", "River", "Gulf", "Bay", "Strait", "Channel", "Canal", "Desert", "Peninsula", "Coast");

    private ProperNames() {}

    public static boolean needsArticle(String name) {
        String last = name.substring(name.lastIndexOf(' ') + 1);
        return HEADS_WITH_THE.contains(last);
    }
}
