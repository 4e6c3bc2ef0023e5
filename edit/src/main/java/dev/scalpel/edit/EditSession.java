package dev.scalpel.edit;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.edit.stats.SecondMoment;
import dev.scalpel.core.text.Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything an editing run needs, prepared from a model folder: the model and tokenizer, the site, C0 for its layers
 * (from the statistics cache, or computed over the corpus), and the context templates (cached per model).
 */
public final class EditSession implements AutoCloseable {
    private final LoadedModel loaded;
    private final EditContext context;
    private final String fingerprint;

    private EditSession(LoadedModel loaded, EditContext context, String fingerprint) {
        this.loaded = loaded;
        this.context = context;
        this.fingerprint = fingerprint;
    }

    /**
     * @param cache where C0 statistics and context templates are cached (shared across runs)
     */
    public static EditSession open(Path modelFolder, EditHyperparameters hp, Corpus corpus, Path cache,
                                   long seed, Consumer<String> progress) {
        LoadedModel loaded = LoadedModel.open(modelFolder);
        try {
            var model = loaded.model();
            var tokenizer = loaded.requireTokenizer();
            String fingerprint = WeightFingerprint.of(model);
            EditSite site = EditSite.of(model, hp.layers());
            long pad = loaded.generation().stopTokenIds().isEmpty() ? loaded.generation().padTokenId()
                    : loaded.generation().stopTokenIds().iterator().next();
            Map<Integer, Matrix> c0 = Map.of();
            if (hp.c0Tokens() > 0) {   // the fine-tuning methods use none
                progress.accept("second moments C0 of layers " + hp.layers() + " over " + corpus.name() + " ("
                        + hp.c0Tokens() + " tokens; cached)");
                int context = Math.min(model.config().maxPositions(), 512);
                c0 = new SecondMoment(model, tokenizer, cache).compute(hp.layers(), corpus, hp.c0Tokens(), 4096, context,
                        tokens -> { });
            }
            // The templates are sampled from the model with this seed and tokenizer: all three name the cached file.
            Path templateFile = cache.resolve("templates-" + (hp.method() == EditMethod.ROME ? "rome-" : "memit-")
                    + fingerprint.substring(0, 16) + "-tokenizer" + tokenizer.sha256().substring(0, 12) + "-seed" + seed
                    + "-eos" + pad + ".json");
            List<String> templates = hp.method() == EditMethod.ROME
                    ? ContextTemplates.rome(model, tokenizer, pad, templateFile, seed)
                    : ContextTemplates.forModel(model, tokenizer, pad, templateFile, seed);
            return new EditSession(loaded, new EditContext(model, tokenizer, pad, site, c0, templates), fingerprint);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    public EditContext context() {
        return context;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    /** The unedited model's weight fingerprint (provenance). */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        loaded.close();
    }
}
