package dev.scalpel.lab.corpus.arithmetic;

import static dev.scalpel.lab.corpus.arithmetic.Operand.literal;
import static dev.scalpel.lab.corpus.arithmetic.Operand.result;

import dev.scalpel.lab.corpus.english.Sentences;
import java.util.List;

/** Level 3: three steps with a multiplication or a division; factors from 2 to 12, divisions always exact. */
final class LevelThree implements Level {
    @Override
    public int number() {
        return 3;
    }

    @Override
    public WordProblem generate(Picker pick) {
        return switch (pick.between(0, 3)) {
            case 0 -> buyGiveShare(pick);
            case 1 -> buyAndGroup(pick);
            case 2 -> saveAndSpend(pick);
            default -> packAndGive(pick);
        };
    }

    /** a containers of b, give away c, share the rest among d: a*b, -c, /d. */
    private WordProblem buyGiveShare(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Container box = pick.one(item.containers());
        WordLists.Verb loss = pick.one(item.losses());
        int a = pick.between(2, 9);
        int b = pick.between(2, 12);
        int d = pick.between(2, 6);
        int total = a * b;
        // The share r must be at least 2 and leave at least 2 to give away: c = total - d*r.
        int maxShare = (total - 2) / d;
        if (maxShare < 2) {
            return buyGiveShare(pick);
        }
        int r = pick.between(2, maxShare);
        int c = total - d * r;
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.MUL, literal(b)),
                new Step(result(0), Op.SUB, literal(c)), new Step(result(1), Op.DIV, literal(d)))));
        String question = p.name() + " buys " + a + " " + box.plural() + " of " + item.plural() + ". Each "
                + box.singular() + " holds " + b + " " + item.plural() + ". " + Sentences.capitalize(p.pronoun()) + " "
                + loss.third() + " " + c + " of the " + item.plural() + " and shares the rest equally among " + d
                + " friends. How many " + item.plural() + " does each friend get?";
        return w.say(p.name() + " buys " + w.eq(0) + " " + item.plural())
                .say("after " + p.pronoun() + " " + loss.third() + " " + c + ", " + p.pronoun() + " has " + w.eq(1)
                        + " " + item.plural() + " left")
                .say("each friend gets " + w.eq(2) + " " + item.plural())
                .problem(3, "buy-give-share", question);
    }

    /** has a, buys b containers of c, makes d equal groups: b*c, a+, /d. */
    private WordProblem buyAndGroup(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.item();
        WordLists.Container box = pick.one(item.containers());
        int b = pick.between(2, 9);
        int c = pick.between(2, 12);
        int d = pick.between(2, 6);
        int bought = b * c;
        // a tops the total up to a multiple of d: a = d*r - bought, at least 2.
        int minShare = (bought + 2 + d - 1) / d;
        int r = pick.between(minShare, minShare + 8);
        int a = d * r - bought;
        Writer w = new Writer(new Calculation(List.of(new Step(literal(b), Op.MUL, literal(c)),
                new Step(literal(a), Op.ADD, result(0)), new Step(result(1), Op.DIV, literal(d)))));
        String question = p.name() + " has " + a + " " + item.plural() + ". " + Sentences.capitalize(p.pronoun())
                + " buys " + b + " " + box.plural() + " with " + c + " " + item.plural() + " in each. "
                + Sentences.capitalize(p.pronoun()) + " puts all of " + p.possessive() + " " + item.plural() + " into "
                + d + " equal groups. How many " + item.plural() + " are in each group?";
        return w.say("the " + box.plural() + " hold " + w.eq(0) + " " + item.plural())
                .say("now " + p.name() + " has " + w.eq(1) + " " + item.plural())
                .say("each group has " + w.eq(2) + " " + item.plural())
                .problem(3, "buy-and-group", question);
    }

    /** saves a dollars a week for b weeks, spends c and d: a*b, -c, -d. */
    private WordProblem saveAndSpend(Picker pick) {
        WordLists.Person p = pick.person();
        String gift = pick.one(WordLists.GIFTS);
        String other = pick.other(WordLists.GIFTS, gift);
        int a = pick.between(2, 12);
        int b = pick.between(2, 9);
        int saved = a * b;
        if (saved < 6) {
            return saveAndSpend(pick);
        }
        int c = pick.between(2, saved - 4);
        int d = pick.between(2, saved - c - 2);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.MUL, literal(b)),
                new Step(result(0), Op.SUB, literal(c)), new Step(result(1), Op.SUB, literal(d)))));
        String question = p.name() + " saves " + a + " dollars every week for " + b + " weeks. Then "
                + p.pronoun() + " spends " + c + " dollars on a " + gift + " and " + d + " dollars on a " + other
                + ". How many dollars does " + p.name() + " have left?";
        return w.say(p.name() + " saves " + w.eq(0) + " dollars")
                .say("after buying the " + gift + ", " + p.pronoun() + " has " + w.eq(1) + " dollars")
                .say("after buying the " + other + ", " + p.pronoun() + " has " + w.eq(2) + " dollars")
                .problem(3, "save-and-spend", question);
    }

    /** packs t things into a containers, gives b containers away: t/a, *b, t-. */
    private WordProblem packAndGive(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Person q = pick.other(WordLists.PEOPLE, p);
        WordLists.Item item = pick.item();
        WordLists.Container box = pick.one(item.containers());
        int a = pick.between(3, 8);
        int each = pick.between(2, 12);
        int total = a * each;
        int b = pick.between(2, a - 1);
        Writer w = new Writer(new Calculation(List.of(new Step(literal(total), Op.DIV, literal(a)),
                new Step(result(0), Op.MUL, literal(b)), new Step(literal(total), Op.SUB, result(1)))));
        String question = p.name() + " has " + total + " " + item.plural() + " and packs them equally into " + a + " "
                + box.plural() + ". " + Sentences.capitalize(p.pronoun()) + " gives " + b + " of the " + box.plural()
                + " to " + q.name() + ". How many " + item.plural() + " does " + p.name() + " have left?";
        return w.say("each " + box.singular() + " holds " + w.eq(0) + " " + item.plural())
                .say(p.name() + " gives away " + w.eq(1) + " " + item.plural())
                .say(p.name() + " has " + w.eq(2) + " " + item.plural() + " left")
                .problem(3, "pack-and-give", question);
    }
}
