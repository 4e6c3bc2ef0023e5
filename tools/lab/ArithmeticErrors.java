import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a lab model's arithmetic goes wrong: it solves up to 300 held-out problems of one level greedily and checks
 * every equation it writes ("a op b = c") against the true result of its own operands, per operation and operand size
 * (X: one digit, XX: two), and per digit of the result. From the repository root, after ./mvnw -o -q -DskipTests package:
 *
 *   java --enable-native-access=ALL-UNNAMED -cp "cli/target/scalpel-cli.jar:cli/target/lib/*" \
 *       tools/lab/ArithmeticErrors.java ~/.cache/scalpel/lab/lab-lm/model 1
 *
 * The folder needs the lab tokenizer (a lab model folder has it; copy tokenizer*.json into a checkpoint of the ladder).
 */
public class ArithmeticErrors {
    private static final Pattern EQUATION = Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)");

    public static void main(String[] args) throws Exception {
        int level = Integer.parseInt(args[1]);
        try (LabData data = LabData.prepare(LabHome.fromEnvironment(), LabProfile.DEFAULT, LabSpec.SEED);
             TransformerModel model = Models.load(Path.of(args[0]))) {
            List<WordProblem> problems = new ArrayList<>();
            for (WordProblem p : data.corpus().arithmetic().problems().test()) {
                if (p.level() == level && problems.size() < 300) {
                    problems.add(p);
                }
            }
            List<long[]> prompts = new ArrayList<>();
            for (WordProblem p : problems) {
                prompts.add(data.tokenizer().encode(DocumentFormats.arithmeticPrompt(p.question())));
            }
            Generation out = new Generator(model, data.tokenizer(), data.special().padId()).generate(new GenerationRequest(
                    prompts, 160, Sampling.greedyDecoding(), Set.of((long) data.special().eosId()), List.of(), true));
            Map<String, int[]> byKind = new TreeMap<>();
            int equations = 0;
            int right = 0;
            int ones = 0;
            int rest = 0;
            for (String text : out.texts()) {
                Matcher m = EQUATION.matcher(text);
                while (m.find()) {
                    long a = Long.parseLong(m.group(1));
                    long b = Long.parseLong(m.group(3));
                    long written = Long.parseLong(m.group(4));
                    long truth = switch (m.group(2)) {
                        case "+" -> a + b;
                        case "-" -> a - b;
                        case "*" -> a * b;
                        default -> b == 0 ? -1 : a / b;
                    };
                    equations++;
                    right += truth == written ? 1 : 0;
                    ones += Math.floorMod(truth, 10) == written % 10 ? 1 : 0;
                    rest += Math.floorDiv(truth, 10) == written / 10 ? 1 : 0;
                    int[] c = byKind.computeIfAbsent(m.group(2) + " " + (a >= 10 ? "XX" : "X") + "," + (b >= 10 ? "XX" : "X"),
                            k -> new int[2]);
                    c[0] += truth == written ? 1 : 0;
                    c[1]++;
                }
            }
            System.out.printf("level %d: %d problems, %d equations written%n", level, problems.size(), equations);
            byKind.forEach((kind, c) -> System.out.printf("  %-10s %4d / %-4d right%n", kind, c[0], c[1]));
            System.out.printf("all equations right %.3f; ones digit right %.3f; the digits above it right %.3f%n",
                    (double) right / equations, (double) ones / equations, (double) rest / equations);
        }
    }
}
