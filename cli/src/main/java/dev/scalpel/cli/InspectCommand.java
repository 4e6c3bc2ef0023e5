package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.model.ModelSummary;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalpel inspect DIR}: what a checkpoint is and which hook points it offers. */
@Command(name = "inspect", description = "Show a model's architecture, size, dtypes, layers, hook point names and linear modules.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a model folder, org/name[@revision] from the Hugging Face cache, or a named model (minilm)")
    String model;

    @Option(names = "--json", description = "print one JSON object (with every hook point and parameter) instead")
    boolean json;

    @Option(names = "--params", description = "also list every parameter with its shape and dtype")
    boolean listParameters;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (LoadedModel m = LoadedModel.open(ModelArgument.resolve(model))) {
            ModelSummary s = ModelSummary.of(m.model());
            if (json) {
                Map<String, Object> j = Json.MAPPER.convertValue(s, new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() { });
                j.put("tokenizer", m.tokenizer() != null);
                j.put("parameter_shapes", shapes(m.model().parameters()));
                j.put("linear_modules", m.model().linearModules());
                out.println(Json.line(j));
                return 0;
            }
            out.printf("%s  (%s, model_type %s)%n", m.folder(), s.architecture(), s.modelType());
            out.printf("parameters   %,d  (%s)%n", s.parameters(), s.parametersByDtype());
            out.printf("layers       %d, hidden %d, heads %d (kv %d, head dim %d), mlp %d%n", s.layers(), s.hiddenSize(),
                    s.heads(), s.kvHeads(), s.headDim(), s.intermediateSize());
            out.printf("vocabulary   %d%s%n", s.vocabSize(), s.tiedEmbeddings() ? " (output head tied to the embedding)" : "");
            out.printf("positions    %d, rope %s%n", s.maxPositions(), s.rope());
            if (s.slidingWindows().stream().anyMatch(w -> w > 0)) {
                out.printf("windows      %s (0 = full attention)%n", s.slidingWindows());
            }
            out.printf("tokenizer    %s%n", m.tokenizer() != null ? m.tokenizer().file().getFileName() : "none");
            out.printf("hook points  %d:%n", s.hookPoints().size());
            s.hookPointPatterns().forEach(h -> out.println("  " + h));
            printLinearModules(out, m.model());
            if (listParameters) {
                out.println("parameters:");
                shapes(m.model().parameters()).forEach((name, shape) -> out.printf("  %-60s %s%n", name, shape));
            }
            return 0;
        }
    }

    /** Layer 0's linear modules (every layer has the same): what GPTQ, editing and MathNeuro work on, and their hooks. */
    private static void printLinearModules(PrintWriter out, dev.scalpel.core.model.TransformerModel model) {
        var first = model.linearModules().stream().filter(lm -> lm.layer() == 0).toList();
        out.printf("linear modules  %d per layer (layer 0 shown: module [in -> out] input hook -> output hooks):%n", first.size());
        for (var lm : first) {
            out.printf("  %-36s %-13s [%d -> %d]  %s -> %s%n", lm.name(), lm.role(), lm.inFeatures(), lm.outFeatures(),
                    lm.inputHook(), String.join(", ", lm.outputHooks()));
        }
    }

    private static Map<String, String> shapes(dev.scalpel.core.model.Parameters p) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String n : p.names()) {
            out.put(n, p.get(n).getShape() + " " + p.storedAs(n));
        }
        return out;
    }
}
