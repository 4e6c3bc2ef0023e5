package dev.scalpel.lab.corpus.arithmetic;

import static dev.scalpel.lab.corpus.arithmetic.Operand.literal;

import dev.scalpel.lab.corpus.english.Sentences;
import java.util.List;

/** Level 1: one addition or subtraction of numbers from 2 to 20, results of at least 2, in a two-sentence story. */
final class LevelOne implements Level {
    @Override
    public int number() {
        return 1;
    }

    @Override
    public WordProblem generate(Picker pick) {
        return switch (pick.between(0, 3)) {
            case 0 -> gain(pick);
            case 1 -> loss(pick);
            case 2 -> together(pick);
            default -> difference(pick);
        };
    }

    private WordProblem gain(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Verb verb = pick.one(item.gains());
        int a = pick.between(2, 20);
        int b = pick.between(2, 20);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.ADD, literal(b)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + Sentences.capitalize(p.pronoun()) + " "
                + verb.third() + " " + b + " more " + item.plural() + ". How many " + item.plural() + " does "
                + p.name() + " have now?";
        return w.say(p.name() + " starts with " + a + " " + item.plural() + " and " + verb.third() + " " + b + " more")
                .say(p.pronoun() + " has " + w.eq(0) + " " + item.plural())
                .problem(1, "gain", question);
    }

    private WordProblem loss(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Verb verb = pick.one(item.losses());
        int a = pick.between(4, 20);
        int b = pick.between(2, a - 2);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.SUB, literal(b)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + Sentences.capitalize(p.pronoun()) + " "
                + verb.third() + " " + b + " of them. How many " + item.plural() + " does " + p.name()
                + " have left?";
        return w.say(p.name() + " starts with " + a + " " + item.plural() + " and " + verb.third() + " " + b
                        + " of them")
                .say(p.pronoun() + " has " + w.eq(0) + " " + item.plural() + " left")
                .problem(1, "loss", question);
    }

    private WordProblem together(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Person q = pick.other(WordLists.PEOPLE, p);
        WordLists.Item item = pick.item();
        int a = pick.between(2, 20);
        int b = pick.between(2, 20);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.ADD, literal(b)))));
        String question = p.name() + " has " + a + " " + item.plural() + " and " + q.name() + " has " + b + " "
                + item.plural() + ". How many " + item.plural() + " do they have together?";
        return w.say(p.name() + " has " + a + " " + item.plural() + " and " + q.name() + " has " + b)
                .say("together they have " + w.eq(0) + " " + item.plural())
                .problem(1, "together", question);
    }

    private WordProblem difference(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Person q = pick.other(WordLists.PEOPLE, p);
        WordLists.Item item = pick.item();
        int a = pick.between(4, 20);
        int b = pick.between(2, a - 2);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.SUB, literal(b)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + q.name() + " has " + b + " "
                + item.plural() + ". How many more " + item.plural() + " does " + p.name() + " have than " + q.name()
                + "?";
        return w.say(p.name() + " has " + a + " " + item.plural() + " and " + q.name() + " has " + b)
                .say(p.name() + " has " + w.eq(0) + " more " + item.plural())
                .problem(1, "difference", question);
    }
}
