package dev.scalpel.lab.corpus.arithmetic;

import static dev.scalpel.lab.corpus.arithmetic.Operand.literal;
import static dev.scalpel.lab.corpus.arithmetic.Operand.result;

import dev.scalpel.lab.corpus.english.Sentences;
import java.util.List;

/** Level 4: four steps mixing all four operations, with products up to about a hundred. */
final class LevelFour implements Level {
    private static final int[] BILLS = {20, 50, 100};

    @Override
    public int number() {
        return 4;
    }

    @Override
    public WordProblem generate(Picker pick) {
        return pick.between(0, 1) == 0 ? bakeSellPack(pick) : shopping(pick);
    }

    /** a trays of b, sells c and d, packs the rest in boxes of e: a*b, c+d, r0-r1, /e. */
    private WordProblem bakeSellPack(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item item = pick.bakedItem();
        int a = pick.between(3, 9);
        int b = pick.between(6, 12);
        int e = pick.between(2, 6);
        int baked = a * b;
        // Boxes r, then the sold total s = baked - e*r split into two sales of at least 2 each.
        int maxBoxes = (baked - 4) / e;
        if (maxBoxes < 2) {
            return bakeSellPack(pick);
        }
        int r = pick.between(2, maxBoxes);
        int sold = baked - e * r;
        int c = pick.between(2, sold - 2);
        int d = sold - c;
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.MUL, literal(b)),
                new Step(literal(c), Op.ADD, literal(d)), new Step(result(0), Op.SUB, result(1)),
                new Step(result(2), Op.DIV, literal(e)))));
        String pronoun = Sentences.capitalize(p.pronoun());
        String question = p.name() + " bakes " + a + " trays of " + item.plural() + " with " + b + " " + item.plural()
                + " on each tray. " + pronoun + " sells " + c + " " + item.plural() + " in the morning and " + d
                + " in the afternoon. " + pronoun + " packs the rest into boxes of " + e + ". How many boxes does "
                + p.name() + " fill?";
        return w.say(p.name() + " bakes " + w.eq(0) + " " + item.plural())
                .say(p.pronoun() + " sells " + w.eq(1) + " " + item.plural())
                .say("that leaves " + w.eq(2) + " " + item.plural())
                .say(p.pronoun() + " fills " + w.eq(3) + " boxes")
                .problem(4, "bake-sell-pack", question);
    }

    /** a things at b dollars and c things at d dollars, paid with an e-dollar bill: a*b, c*d, r0+r1, e-r2. */
    private WordProblem shopping(Picker pick) {
        WordLists.Person p = pick.person();
        WordLists.Item first = pick.item();
        WordLists.Item second = pick.other(WordLists.ITEMS, first);
        int a = pick.between(2, 6);
        int b = pick.between(2, 9);
        int c = pick.between(2, 6);
        int d = pick.between(2, 9);
        int cost = a * b + c * d;
        int bill = 0;
        for (int candidate : BILLS) {
            if (candidate >= cost + 2) {
                bill = candidate;
                break;
            }
        }
        if (bill == 0) {
            return shopping(pick);
        }
        Writer w = new Writer(new Calculation(List.of(new Step(literal(a), Op.MUL, literal(b)),
                new Step(literal(c), Op.MUL, literal(d)), new Step(result(0), Op.ADD, result(1)),
                new Step(literal(bill), Op.SUB, result(2)))));
        String question = p.name() + " buys " + a + " " + first.plural() + " for " + b + " dollars each and " + c + " "
                + second.plural() + " for " + d + " dollars each. " + Sentences.capitalize(p.pronoun())
                + " pays with a " + bill + "-dollar bill. How many dollars of change does " + p.pronoun() + " get?";
        return w.say("the " + first.plural() + " cost " + w.eq(0) + " dollars")
                .say("the " + second.plural() + " cost " + w.eq(1) + " dollars")
                .say("together they cost " + w.eq(2) + " dollars")
                .say("the change is " + w.eq(3) + " dollars")
                .problem(4, "shopping", question);
    }
}
