package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.interpret.mathneuro.Identification;
import dev.scalpel.interpret.mathneuro.Intervention;
import dev.scalpel.interpret.mathneuro.Lape;
import dev.scalpel.interpret.mathneuro.ParameterSet;
import dev.scalpel.interpret.mathneuro.TaskTexts;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.LabCorpus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel neuro identify|prune|scale}: MathNeuro on any model and any two tasks. Identification is a few hundred
 * forward passes, so prune and scale identify again from the same arguments (the same seed gives the same set).
 */
@Command(name = "neuro", description = {"MathNeuro: find the parameters a target task relies on and a general task",
    "does not (forward passes only), then prune or scale them."},
        subcommands = {NeuroCommand.Identify.class, NeuroCommand.Prune.class, NeuroCommand.Scale.class,
            NeuroCommand.Eval.class})
final class NeuroCommand {

    /** What picks the set: the model, the two tasks, K, N, the seed, and whether to take the random baseline. */
    static final class Selection {
        @Option(names = "--model", required = true, description = "a model folder, org/name[@revision] or a named model")
        String model;

        @Option(names = "--target", required = true, paramLabel = "DATA", description = {
            "the target task: a .txt file (one sample per line), a .jsonl file (\"text\", or GSM8K's \"question\" and",
            "\"answer\"), or a lab set: lab:arithmetic (problems with their solutions), lab:prose, lab:facts"})
        String target;

        @Option(names = "--general", required = true, paramLabel = "DATA", description = "the general task (as --target)")
        String general;

        @Option(names = "--proportion", defaultValue = "0.05", paramLabel = "K", description = {
            "each matrix's share taken as its top set, as a fraction (default ${DEFAULT-VALUE}; the paper sweeps",
            "0.0001 to 0.15)"})
        double proportion;

        @Option(names = "--samples", defaultValue = "500", paramLabel = "N", description = {
            "samples drawn with replacement from each task, one forward pass each (default ${DEFAULT-VALUE})"})
        int samples;

        @Option(names = "--seed", defaultValue = "0", description = "the draw's seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--baseline", paramLabel = "NAME", description = {"a baseline set instead of MathNeuro's:",
            "random (as many random weights in each matrix as the task-specific set has there), wanda (the target's",
            "top K%% without removing the general task's), lape (the target's LAPE neurons, the lowest-entropy",
            "K%% of MLP neurons by activation probability, as their columns of the down projection)"})
        String baseline;

        /** The set this selection names, with the identification behind it. */
        Chosen choose(LoadedModel loaded, PrintWriter console) {
            if (!(proportion > 0 && proportion <= 1)) {
                throw new ScalpelException("--proportion is a fraction in (0, 1], not " + proportion);
            }
            List<String> targetTexts = texts(target);
            List<String> generalTexts = texts(general);
            console.printf(Locale.ROOT, "scoring %d samples of %s and %d of %s%n", samples, target, samples, general);
            Identification id = Identification.run(loaded.model(), loaded.requireTokenizer(), targetTexts, generalTexts,
                    new Identification.Config(proportion, samples, seed));
            ParameterSet set = switch (baseline == null ? "" : baseline) {
                case "" -> id.specific();
                case "random" -> id.specific().randomLike(seed);
                case "wanda" -> id.target();
                case "lape" -> lape(loaded, targetTexts, generalTexts);
                default -> throw new ScalpelException("--baseline is random, wanda or lape, not '" + baseline + "'");
            };
            return new Chosen(id, set);
        }

        private ParameterSet lape(LoadedModel loaded, List<String> targetTexts, List<String> generalTexts) {
            var model = loaded.model();
            var tokenizer = loaded.requireTokenizer();
            List<List<long[]>> tasks = List.of(
                    Identification.tokens(model, tokenizer, TaskTexts.draw(generalTexts, samples, seed + 1)),
                    Identification.tokens(model, tokenizer, TaskTexts.draw(targetTexts, samples, seed)));
            var neurons = Lape.run(model, tasks, Lape.Config.reference(proportion)).neurons();
            return Lape.asWeights(model, neurons.get(1));
        }

        Map<String, Object> describe(Chosen chosen, String fingerprint) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model);
            out.put("weights", fingerprint);
            out.put("target", target);
            out.put("general", general);
            out.put("proportion", proportion);
            out.put("samples", samples);
            out.put("seed", seed);
            out.put("set", baseline == null ? "task-specific" : baseline + " baseline");
            out.put("target_top_k_entries", chosen.identification().target().count());
            out.put("general_top_k_entries", chosen.identification().general().count());
            out.put("spread", Identification.spread(chosen.set()));
            return out;
        }
    }

    record Chosen(Identification identification, ParameterSet set) {
    }

    private static LabCorpus labCorpus;

    /** The lab's corpora, built once per process: a command naming several lab sets builds them once. */
    private static synchronized LabCorpus labCorpus() {
        if (labCorpus == null) {
            labCorpus = LabCorpus.build(LabSpec.SEED, LabProfile.DEFAULT.corpus());
        }
        return labCorpus;
    }

    /** A task's samples: a file, or one of the lab's sets (their training splits). */
    static List<String> texts(String data) {
        if (!data.startsWith("lab:")) {
            return TaskTexts.read(Path.of(data));
        }
        LabCorpus lab = labCorpus();
        return switch (data.substring(4)) {
            case "arithmetic" -> lab.arithmetic().problems().train().stream()
                    .map(p -> DocumentFormats.arithmeticDocument(p.question(), p.solution())).toList();
            case "prose" -> lab.prose().passages().train().stream().map(p -> p.text()).toList();
            case "facts" -> lab.facts().facts().train().stream().map(f -> f.trainingSentences().getFirst()).toList();
            default -> throw new ScalpelException("unknown lab set '" + data + "' (lab:arithmetic, lab:prose, lab:facts)");
        };
    }

    @Command(name = "identify", description = {"Score every linear weight on both tasks, take each matrix's top K%% for",
        "each, and write the target-specific set: DIR/set.json (where it lies) and DIR/set.safetensors (per module, the",
        "flat indices into its [out, in] weight)."})
    static final class Identify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Selection selection = new Selection();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where set.json and set.safetensors go")
        Path out;

        @Option(names = "--json", description = "end with one line holding set.json's contents")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter console = spec.commandLine().getOut();
            try (LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(selection.model))) {
                Chosen chosen = selection.choose(loaded, console);
                Map<String, Object> report = selection.describe(chosen, WeightFingerprint.of(loaded.model()));
                List<SafetensorsWriter.Entry> entries = new ArrayList<>();
                chosen.set().modules().forEach((name, m) -> entries.add(SafetensorsWriter.i64(name,
                        new long[] {m.indices().length}, java.util.Arrays.stream(m.indices()).asLongStream().toArray())));
                createFolder(out);
                SafetensorsWriter.write(out.resolve("set.safetensors"), entries, Map.of("format", "scalpel-mathneuro"));
                AtomicFiles.writeJson(Json.MAPPER.writerWithDefaultPrettyPrinter(), out.resolve("set.json"), report);
                printSummary(console, chosen.set());
                console.println("wrote " + out.resolve("set.json"));
                if (json) {
                    console.println(Json.line(report));
                }
            }
            return 0;
        }
    }

    private static void createFolder(Path folder) {
        try {
            java.nio.file.Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new ScalpelException(folder + ": cannot create: " + e.getMessage(), e);
        }
    }

    static void printSummary(PrintWriter console, ParameterSet set) {
        console.printf(Locale.ROOT, "%,d weights, %.3f%% of the linear layers' weights%n", set.count(), 100 * set.share());
        Identification.spread(set).forEach((k, v) -> {
            if (v instanceof Map<?, ?> map) {
                console.println("  " + k + ": " + map);
            }
        });
    }

    /** Identify, multiply the set by a factor, and save the model. */
    abstract static class Intervene implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Selection selection = new Selection();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the changed model's folder (Hugging Face layout)")
        Path out;

        abstract float factor();

        @Override
        public Integer call() {
            PrintWriter console = spec.commandLine().getOut();
            try (LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(selection.model))) {
                String before = WeightFingerprint.of(loaded.model());
                Chosen chosen = selection.choose(loaded, console);
                long written = Intervention.scale(loaded.model(), chosen.set(), factor());
                printSummary(console, chosen.set());
                ModelWriter.save(loaded.model(), out);
                Map<String, Object> report = selection.describe(chosen, before);
                report.put("factor", factor());
                report.put("weights_written", written);
                AtomicFiles.writeJson(Json.MAPPER.writerWithDefaultPrettyPrinter(), out.resolve("mathneuro.json"), report);
                console.printf(Locale.ROOT, "multiplied %,d weights by %s; wrote %s%n", written, factor(), out);
            }
            return 0;
        }
    }

    @Command(name = "prune", description = "Zero the set (its weights times 0) and save the model: DIR is a Hugging Face folder.")
    static final class Prune extends Intervene {
        @Override
        float factor() {
            return 0f;
        }
    }

    @Command(name = "scale", description = "Multiply the set by --factor and save the model: DIR is a Hugging Face folder.")
    static final class Scale extends Intervene {
        @Option(names = "--factor", defaultValue = "1.1", description = "the multiplier (default ${DEFAULT-VALUE}, the "
                + "reference's README; the paper reports 1.01 for an 8B model)")
        float factor;

        @Override
        float factor() {
            return factor;
        }
    }

    @Command(name = "eval", description = {"Accuracy of a model (original, pruned or scaled) on a task file: GSM8K-style",
        "lines ({\"question\", \"answer\" ending in '#### N'}) by greedy few-shot chain of thought, strict ('The answer",
        "is N') and flexible (last number); multiple-choice lines ({\"question\", \"choices\": [...], \"answer\": i}) by",
        "log-likelihood. The first --shots GSM8K items are the examples and are not scored."})
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "a model folder, org/name[@revision] or a named model")
        String model;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "a .jsonl task file")
        Path data;

        @Option(names = "--shots", defaultValue = "8", description = "few-shot examples for GSM8K-style items (default ${DEFAULT-VALUE})")
        int shots;

        @Option(names = "--limit", description = "score at most this many items")
        Integer limit;

        @Option(names = "--max-new-tokens", defaultValue = "256", description = "default ${DEFAULT-VALUE}")
        int maxNewTokens;

        @Option(names = "--json", description = "end with one line holding the result as JSON")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter console = spec.commandLine().getOut();
            TaskItems items = TaskItems.read(data);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", model);
            result.put("data", data.toString());
            try (LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(model))) {
                var tokenizer = loaded.requireTokenizer();
                if (!items.problems().isEmpty()) {
                    var all = items.problems();
                    int k = Math.min(shots, Math.max(0, all.size() - 1));
                    var scored = all.subList(k, limit == null ? all.size() : Math.min(all.size(), k + limit));
                    var r = dev.scalpel.core.eval.QuestionAnswering.problems(loaded.model(), tokenizer,
                            padOf(loaded), scored, all.subList(0, k), maxNewTokens);
                    result.put("kind", "gsm8k");
                    result.put("shots", k);
                    result.put("items", r.items());
                    result.put("strict_accuracy", r.strict());
                    result.put("flexible_accuracy", r.flexible());
                } else {
                    var all = items.choices();
                    var scored = limit == null ? all : all.subList(0, Math.min(all.size(), limit));
                    result.put("kind", "multiple_choice");
                    result.put("items", scored.size());
                    result.put("accuracy", dev.scalpel.core.eval.QuestionAnswering.multipleChoice(loaded.model(), tokenizer,
                            scored));
                }
            }
            result.forEach((key, v) -> console.printf("%-18s %s%n", key, v));
            if (json) {
                console.println(Json.line(result));
            }
            return 0;
        }
    }

    /** The pad id generation uses: the config's, else 0 (one prompt at a time never pads). */
    private static long padOf(LoadedModel loaded) {
        Integer pad = loaded.model().config().padTokenId();
        return pad == null ? 0 : pad;
    }

    /** A task file's items: all GSM8K-style problems or all multiple-choice questions. */
    record TaskItems(List<dev.scalpel.core.eval.QuestionAnswering.Problem> problems,
                     List<dev.scalpel.core.eval.QuestionAnswering.Choice> choices) {
        static TaskItems read(Path file) {
            List<dev.scalpel.core.eval.QuestionAnswering.Problem> problems = new ArrayList<>();
            List<dev.scalpel.core.eval.QuestionAnswering.Choice> choices = new ArrayList<>();
            List<String> lines;
            try {
                lines = java.nio.file.Files.readAllLines(file);
            } catch (java.io.IOException e) {
                throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = file + ":" + (i + 1);
                com.fasterxml.jackson.databind.JsonNode n;
                try {
                    n = Json.MAPPER.readTree(lines.get(i));
                } catch (java.io.IOException e) {
                    throw new ScalpelException(where + ": not JSON: " + e.getMessage());
                }
                if (n.path("choices").isArray()) {
                    List<String> options = new ArrayList<>();
                    n.path("choices").forEach(c -> options.add(c.asText()));
                    int answer = n.path("answer").asInt(-1);
                    if (!n.path("question").isTextual() || answer < 0 || answer >= options.size()) {
                        throw new ScalpelException(where + ": a multiple-choice line needs \"question\" and an \"answer\""
                                + " index into its " + options.size() + " \"choices\"");
                    }
                    choices.add(new dev.scalpel.core.eval.QuestionAnswering.Choice(n.path("question").asText(), options,
                            answer));
                } else if (n.path("question").isTextual() && n.path("answer").isTextual()) {
                    var p = new dev.scalpel.core.eval.QuestionAnswering.Problem(n.path("question").asText(),
                            n.path("answer").asText());
                    if (dev.scalpel.core.eval.NumericAnswer.gold(p.solution()).isEmpty()) {
                        throw new ScalpelException(where + ": the answer has no '#### N' final answer");
                    }
                    problems.add(p);
                } else {
                    throw new ScalpelException(where + ": needs \"question\" and \"answer\" (GSM8K) or \"question\","
                            + " \"choices\" and \"answer\" (multiple choice)");
                }
            }
            if (!problems.isEmpty() && !choices.isEmpty()) {
                throw new ScalpelException(file + ": mixes GSM8K-style and multiple-choice lines; give one kind per file");
            }
            if (problems.isEmpty() && choices.isEmpty()) {
                throw new ScalpelException(file + ": no items");
            }
            return new TaskItems(problems, choices);
        }
    }
}
