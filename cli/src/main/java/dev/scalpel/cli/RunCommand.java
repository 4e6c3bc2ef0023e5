package dev.scalpel.cli;

import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.ActivationCache;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.model.ForwardResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel run DIR --ids "1,2,3" [--ids ...] [--text "..."] --out F.safetensors [--hook NAME ...]}: one forward
 * pass over a left-padded batch, saving the logits and the requested activations.
 */
@Command(name = "run", description = {
    "Run a forward pass and save logits [batch, seq, vocab] (float32) and hook activations to a safetensors file.",
    "Inputs of different lengths are left-padded; every row's outputs equal what it gives alone. The file also holds",
    "input_ids and attention_mask (int64). Rows come in the order: every --ids, then every --text."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a model folder, org/name[@revision] from the Hugging Face cache, or a named model (minilm)")
    String model;

    @Option(names = "--ids", paramLabel = "IDS", description = "comma-separated token ids of one input (repeatable)")
    List<String> ids = new ArrayList<>();

    @Option(names = "--text", paramLabel = "TEXT", description = "text of one input, tokenized with the model's tokenizer (repeatable)")
    List<String> texts = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "F.safetensors", description = "where to write the tensors")
    Path out;

    @Option(names = "--hook", paramLabel = "NAME", description = "a hook point whose activation to save (repeatable; see inspect)")
    List<String> hooks = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        if (ids.isEmpty() && texts.isEmpty()) {
            throw new ScalpelException("give at least one input with --ids or --text");
        }
        try (LoadedModel m = LoadedModel.open(ModelArgument.resolve(model)); NDManager nd = m.model().newManager()) {
            List<long[]> rows = new ArrayList<>();
            ids.forEach(s -> rows.add(TokenIds.parse(s)));
            for (String t : texts) {
                long[] encoded = m.requireTokenizer().encode(t);
                if (encoded.length == 0) {
                    throw new ScalpelException("--text \"" + t + "\" encodes to no tokens");
                }
                rows.add(encoded);
            }
            TokenBatch batch = TokenBatch.left(rows, m.generation().padTokenId());
            Hooks h = hooks.isEmpty() ? Hooks.none() : Hooks.caching(nd, hooks);
            ForwardResult result = m.model().forward(batch.request(nd), h, nd);

            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            if (result.logits() != null) {
                entries.add(floats("logits", result.logits()));
            } else {
                entries.add(floats("last_hidden_state", result.hidden()));
            }
            if (!hooks.isEmpty()) {
                ActivationCache cache = h.cache();
                for (String name : hooks) {
                    entries.add(floats(name, cache.get(name)));
                }
            }
            entries.add(SafetensorsWriter.i64("input_ids", new long[] {batch.size(), batch.length()}, batch.flatIds()));
            entries.add(SafetensorsWriter.i64("attention_mask", new long[] {batch.size(), batch.length()}, batch.flatMask()));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put("model", m.folder().toString());
            metadata.put("padding", "left");
            SafetensorsWriter.write(out, entries, metadata);
            console.printf("wrote %s: %s for %d input(s) of up to %d tokens%s%n", out,
                    result.logits() != null ? "logits " + result.logits().getShape() : "last_hidden_state " + result.hidden().getShape(),
                    batch.size(), batch.length(), hooks.isEmpty() ? "" : " and " + hooks.size() + " hook activation(s)");
            return 0;
        }
    }

    private static SafetensorsWriter.Entry floats(String name, NDArray a) {
        return SafetensorsWriter.f32(name, a.getShape().getShape(), a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
    }
}
