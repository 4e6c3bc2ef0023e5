package dev.scalpel.core.eval;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numeric answers the way GSM8K evaluations read them (EleutherAI's harness, which MathNeuro's evaluation uses): the
 * gold answer after {@code ####}, a strict answer from "The answer is N", a flexible one as the last number in the
 * text. Numbers compare by value after commas, dollar signs and a final period are dropped ("1,000" = "1000.0").
 */
public final class NumericAnswer {
    private static final Pattern GOLD = Pattern.compile("####\\s*(-?[$0-9.,]+)");
    private static final Pattern STRICT = Pattern.compile("The answer is (-?[$0-9.,]*[0-9]+)");
    private static final Pattern NUMBER = Pattern.compile("-?[$0-9.,]*[0-9]+");

    private NumericAnswer() {
    }

    /** The answer a GSM8K solution gives after "####". */
    public static Optional<String> gold(String solution) {
        Matcher m = GOLD.matcher(solution);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The number after the first "The answer is". */
    public static Optional<String> strict(String generated) {
        Matcher m = STRICT.matcher(generated);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The last number in the text. */
    public static Optional<String> flexible(String generated) {
        Matcher m = NUMBER.matcher(generated);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return Optional.ofNullable(last);
    }

    /** Whether {@code predicted} is {@code gold}'s value (false for no prediction or something that is no number). */
    public static boolean matches(Optional<String> predicted, String gold) {
        Optional<BigDecimal> a = predicted.flatMap(NumericAnswer::value);
        Optional<BigDecimal> b = value(gold);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) == 0;
    }

    static Optional<BigDecimal> value(String number) {
        String s = number.replace(",", "").replace("$", "");
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Optional.of(new BigDecimal(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
