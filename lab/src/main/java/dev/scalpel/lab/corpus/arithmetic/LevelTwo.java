package dev.scalpel.lab.corpus.arithmetic;

import static dev.scalpel.lab.corpus.arithmetic.Operand.literal;
import static dev.scalpel.lab.corpus.arithmetic.Operand.result;

import dev.scalpel.lab.corpus.english.Sentences;
import java.util.List;

/** Level 2: two additions or subtractions, numbers up to 40, results of at least 2. */
final class LevelTwo implements Level {
    @Override
    public int number() {
        return 2;
    }

    @Override
    public WordProblem generate(Picker pick) {
        return switch (pick.between(0, 3)) {
            case 0 -> gainThenLoss(pick);
            case 1 -> twoLosses(pick);
            case 2 -> pooledThenLost(pick);
            default -> comparisonChain(pick);
        };
    }

    private WordProblem gainThenLoss(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Verb gain = pick.one(item.gains());
        WordLists.Verb loss = pick.one(item.losses());
        int a = pick.between(5, 40);
        int b = pick.between(2, 30);
        int c = pick.between(2, a + b - 2);
        Writer w = new Writer(new Calculation(List.of(
                new Step(literal(a), Op.ADD, literal(b)), new Step(result(0), Op.SUB, literal(c)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + Sentences.capitalize(p.pronoun()) + " "
                + gain.third() + " " + b + " more " + item.plural() + ", and then " + p.pronoun() + " " + loss.third()
                + " " + c + " of them. How many " + item.plural() + " does " + p.name() + " have now?";
        return w.say(p.name() + " starts with " + a + " " + item.plural() + " and " + gain.third() + " " + b
                        + " more, so " + p.pronoun() + " has " + w.eq(0) + " " + item.plural())
                .say("then " + p.pronoun() + " " + loss.third() + " " + c + ", so " + p.pronoun() + " has " + w.eq(1)
                        + " " + item.plural())
                .problem(2, "gain-then-loss", question);
    }

    private WordProblem twoLosses(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Verb first = pick.one(item.losses());
        WordLists.Verb second = pick.other(item.losses(), first);
        int a = pick.between(10, 40);
        int b = pick.between(2, a / 2);
        int c = pick.between(2, a - b - 2);
        Writer w = new Writer(new Calculation(List.of(
                new Step(literal(a), Op.SUB, literal(b)), new Step(result(0), Op.SUB, literal(c)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". On Monday " + p.pronoun() + " "
                + first.third() + " " + b + " of them, and on Tuesday " + p.pronoun() + " " + second.third() + " " + c
                + " more. How many " + item.plural() + " does " + p.name() + " have left?";
        return w.say("after Monday, " + p.name() + " has " + w.eq(0) + " " + item.plural())
                .say("after Tuesday, " + p.pronoun() + " has " + w.eq(1) + " " + item.plural())
                .problem(2, "two-losses", question);
    }

    private WordProblem pooledThenLost(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Person q = pick.other(WordLists.PEOPLE, p);
        WordLists.Item item = pick.item();
        WordLists.Verb loss = pick.one(item.losses());
        int a = pick.between(2, 30);
        int b = pick.between(2, 30);
        int c = pick.between(2, a + b - 2);
        Writer w = new Writer(new Calculation(List.of(
                new Step(literal(a), Op.ADD, literal(b)), new Step(result(0), Op.SUB, literal(c)))));
        String question = p.name() + " has " + a + " " + item.plural() + " and " + q.name() + " has " + b + " "
                + item.plural() + ". They put them together and " + loss.base() + " " + c + " of them. How many "
                + item.plural() + " do they have left?";
        return w.say("together they have " + w.eq(0) + " " + item.plural())
                .say("after they " + loss.base() + " " + c + ", they have " + w.eq(1) + " " + item.plural())
                .problem(2, "pooled-then-lost", question);
    }

    private WordProblem comparisonChain(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Person q = pick.other(WordLists.PEOPLE, p);
        WordLists.Person r = pick.other(WordLists.PEOPLE, p, q);
        WordLists.Item item = pick.item();
        int a = pick.between(2, 30);
        int b = pick.between(2, 20);
        int c = pick.between(2, a + b - 2);
        Writer w = new Writer(new Calculation(List.of(
                new Step(literal(a), Op.ADD, literal(b)), new Step(result(0), Op.SUB, literal(c)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + q.name() + " has " + b + " more "
                + item.plural() + " than " + p.name() + ". " + r.name() + " has " + c + " fewer " + item.plural()
                + " than " + q.name() + ". How many " + item.plural() + " does " + r.name() + " have?";
        return w.say(q.name() + " has " + w.eq(0) + " " + item.plural())
                .say(r.name() + " has " + w.eq(1) + " " + item.plural())
                .problem(2, "comparison-chain", question);
    }
}
