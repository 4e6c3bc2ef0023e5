import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.Objective;
import dev.scalpel.core.train.Trainer;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.core.train.TrainingListener;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.build.LmEvaluator;
import dev.scalpel.core.train.PackedBatches;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A cheap experiment on what makes lab-lm learn arithmetic: trains lab-lm's architecture on the lab's arithmetic
 * problems only (optionally mixed with equation drills), then prints the held-out accuracy per level (150 problems
 * each). Needs the lab data (./scalpel lab build) and the built jars (./mvnw -o -q -DskipTests package). From the
 * repository root, one core each (two at a time on 2 cores):
 *
 *   OMP_NUM_THREADS=1 java --enable-native-access=ALL-UNNAMED -cp "cli/target/scalpel-cli.jar:cli/target/lib/*" \
 *       tools/lab/ArithmeticProxy.java NAME BATCH STEPS PEAK_LR DRILL_SHARE [all|table] [HIDDEN INTERMEDIATE LAYERS]
 *
 * DRILL_SHARE is the share of documents that are 8 drill lines: "all" the distinct addition and subtraction steps of
 * the training problems, "table" the one-digit addition and subtraction facts. The run folder is /tmp/arith-NAME.
 * Results of the runs made so far are in docs/reproductions/lab/README.md.
 */
public class ArithmeticProxy {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        int batch = Integer.parseInt(args[1]);
        long steps = Long.parseLong(args[2]);
        double peakLr = Double.parseDouble(args[3]);
        double drillShare = Double.parseDouble(args[4]);
        boolean table = args.length > 5 && args[5].equals("table");
        LabSpec spec = LabSpec.of("lab-lm", LabProfile.DEFAULT);
        if (args.length > 8) {
            int hidden = Integer.parseInt(args[6]);
            spec.config().put("hidden_size", hidden).put("num_attention_heads", hidden / 32)
                    .put("num_key_value_heads", hidden / 32).put("intermediate_size", Integer.parseInt(args[7]))
                    .put("num_hidden_layers", Integer.parseInt(args[8]));
        }
        TrainingConfig training = new TrainingConfig(steps, 1, peakLr, Math.min(100, steps / 10), 0.1, 1.0,
                AdamW.Config.defaults(), 1_000_000, 0, LabSpec.SEED);
        try (LabData data = LabData.prepare(LabHome.fromEnvironment(), LabProfile.DEFAULT, LabSpec.SEED);
             NDManager nd = NDManager.newBaseManager();
             TransformerModel model = Models.initialize(spec.config(), LabSpec.SEED, DType.F32, nd)) {
            List<WordProblem> train = data.corpus().arithmetic().problems().train();
            List<String> drills = table ? tableFacts() : additionAndSubtractionSteps(train);
            int[] stream = stream(data, train, drills, drillShare, steps * batch * 128);
            TrainingListener progress = new TrainingListener() {
                @Override
                public void onStep(long step, long total, double loss, double lr, double gradNorm, double tokensPerSecond) {
                    if (step % 100 == 0) {
                        System.out.printf("%s step %d/%d loss %.3f (%.0f tokens/s)%n", name, step, total, loss, tokensPerSecond);
                    }
                }
            };
            RunInputs inputs = new RunInputs(name, WeightFingerprint.of(model), Map.of("lab_data", data.hash()), LabSpec.SEED);
            RunFolder run = RunFolder.keyed(Path.of("/tmp"), "arith-" + name, Trainer.key(training, name, inputs),
                    Provenance.of(inputs, Map.of()), System.out::println);
            new Trainer(model, Objective.nextToken(), new PackedBatches(stream, batch, 128), null, training, run, progress).run();
            Map<Integer, List<WordProblem>> byLevel = new TreeMap<>();
            for (WordProblem p : data.corpus().arithmetic().problems().test()) {
                byLevel.computeIfAbsent(p.level(), k -> new ArrayList<>()).add(p);
            }
            LmEvaluator evaluator = new LmEvaluator(model, data.tokenizer(), data.special().eosId(), data.special().padId());
            StringBuilder line = new StringBuilder(name);
            byLevel.forEach((level, problems) -> line.append(String.format(" level%d=%.3f", level,
                    evaluator.arithmeticAccuracy(problems.subList(0, Math.min(150, problems.size()))))));
            System.out.println(line);
        }
    }

    private static int[] stream(LabData data, List<WordProblem> train, List<String> drills, double drillShare, long tokens) {
        Random random = new Random(7);
        List<WordProblem> order = new ArrayList<>(train);
        Collections.shuffle(order, random);
        Tokenizer tokenizer = data.tokenizer();
        int[] out = new int[(int) tokens + 100_000];
        int size = 0;
        int next = 0;
        while (size < tokens) {
            String document;
            if (random.nextDouble() < drillShare) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    lines.add(drills.get(random.nextInt(drills.size())) + ".");
                }
                document = String.join("\n", lines);
            } else {
                WordProblem p = order.get(next++ % order.size());
                document = DocumentFormats.arithmeticDocument(p.question(), p.solution());
            }
            for (long id : tokenizer.encode(document)) {
                out[size++] = (int) id;
            }
            out[size++] = data.special().eosId();
        }
        return Arrays.copyOf(out, size);
    }

    private static List<String> additionAndSubtractionSteps(List<WordProblem> problems) {
        LinkedHashSet<String> steps = new LinkedHashSet<>();
        for (WordProblem p : problems) {
            for (int i = 0; i < p.calculation().steps().size(); i++) {
                String equation = p.calculation().equation(i);
                if (equation.contains(" + ") || equation.contains(" - ")) {
                    steps.add(equation);
                }
            }
        }
        return new ArrayList<>(steps);
    }

    private static List<String> tableFacts() {
        List<String> facts = new ArrayList<>();
        for (int x = 0; x <= 9; x++) {
            for (int y = 0; y <= 9; y++) {
                facts.add(x + " + " + y + " = " + (x + y));
                facts.add((x + y) + " - " + y + " = " + x);
            }
        }
        return facts;
    }
}
