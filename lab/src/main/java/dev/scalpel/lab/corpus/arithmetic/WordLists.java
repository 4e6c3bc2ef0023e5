package dev.scalpel.lab.corpus.arithmetic;

import java.util.List;

/**
 * The small vocabularies stories are written from. Verbs belong to items so that sentences make sense (people eat
 * cookies and win marbles, not the other way round); every verb has its third-person and base form.
 */
final class WordLists {
    private WordLists() {}

    record Person(String name, String pronoun, String possessive) {}

    record Verb(String third, String base) {}

    record Container(String singular, String plural) {}

    record Item(String plural, List<Verb> gains, List<Verb> losses, List<Container> containers, boolean baked) {}

    static final List<Person> PEOPLE = List.of(
            she("Ava"), he("Ben"), she("Chloe"), he("Daniel"), she("Ella"), he("Finn"), she("Grace"), he("Hugo"),
            she("Isla"), he("Jack"), she("Kira"), he("Leo"), she("Maya"), he("Noah"), she("Olivia"), he("Omar"),
            she("Priya"), he("Ravi"), she("Sara"), he("Tom"), she("Uma"), he("Victor"), she("Wendy"), he("Yusuf"),
            she("Zoe"), he("Lucas"), she("Mia"), he("Ethan"), she("Nina"), he("Sam"));

    private static final Verb FINDS = new Verb("finds", "find");
    private static final Verb BUYS = new Verb("buys", "buy");
    private static final Verb WINS = new Verb("wins", "win");
    private static final Verb COLLECTS = new Verb("collects", "collect");
    private static final Verb GETS = new Verb("gets", "get");
    private static final Verb PICKS = new Verb("picks", "pick");
    private static final Verb BAKES = new Verb("bakes", "bake");
    private static final Verb GIVES_AWAY = new Verb("gives away", "give away");
    private static final Verb LOSES = new Verb("loses", "lose");
    private static final Verb SELLS = new Verb("sells", "sell");
    private static final Verb TRADES_AWAY = new Verb("trades away", "trade away");
    private static final Verb EATS = new Verb("eats", "eat");
    private static final Verb USES = new Verb("uses", "use");

    private static final List<Container> SMALL_THINGS = List.of(
            new Container("box", "boxes"), new Container("bag", "bags"), new Container("pack", "packs"),
            new Container("jar", "jars"));
    private static final List<Container> FOOD = List.of(
            new Container("box", "boxes"), new Container("bag", "bags"), new Container("basket", "baskets"),
            new Container("crate", "crates"));
    private static final List<Container> BAKED = List.of(
            new Container("box", "boxes"), new Container("tray", "trays"), new Container("tin", "tins"));

    static final List<Item> ITEMS = List.of(
            thing("marbles", WINS), thing("stickers", COLLECTS), thing("pencils", BUYS), thing("books", BUYS),
            thing("shells", COLLECTS), thing("stamps", COLLECTS), thing("cards", WINS), thing("buttons", FINDS),
            thing("balloons", BUYS), thing("crayons", BUYS), thing("beads", BUYS), thing("rocks", COLLECTS),
            thing("feathers", COLLECTS), thing("toy cars", WINS), thing("coins", COLLECTS),
            fruit("apples"), fruit("oranges"), fruit("strawberries"), fruit("lemons"), fruit("plums"), fruit("peaches"),
            new Item("eggs", List.of(BUYS, GETS, COLLECTS), List.of(USES, SELLS, GIVES_AWAY), FOOD, false),
            new Item("carrots", List.of(BUYS, GETS, PICKS), List.of(EATS, USES, SELLS), FOOD, false),
            baked("cookies"), baked("cupcakes"), baked("muffins"), baked("rolls"), baked("pies"));

    static final List<String> GIFTS = List.of("book", "kite", "game", "puzzle", "ball", "hat", "lamp", "scarf",
            "toy train", "backpack", "watch", "plant");

    private static Person she(String name) {
        return new Person(name, "she", "her");
    }

    private static Person he(String name) {
        return new Person(name, "he", "his");
    }

    private static Item thing(String plural, Verb special) {
        return new Item(plural, List.of(FINDS, BUYS, GETS, special), List.of(GIVES_AWAY, LOSES, SELLS, TRADES_AWAY),
                SMALL_THINGS, false);
    }

    private static Item fruit(String plural) {
        return new Item(plural, List.of(BUYS, PICKS, GETS), List.of(EATS, GIVES_AWAY, SELLS), FOOD, false);
    }

    private static Item baked(String plural) {
        return new Item(plural, List.of(BAKES, BUYS, GETS), List.of(EATS, GIVES_AWAY, SELLS), BAKED, true);
    }
}
