package dev.scalpel.core;

import dev.scalpel.core.generate.GenerationDefaults;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.nio.file.Path;

/**
 * Everything a Hugging Face model folder holds, opened together: the model, its tokenizer (if the folder has one) and
 * its generation settings. Closing it releases all of them.
 */
public record LoadedModel(Path folder, TransformerModel model, Tokenizer tokenizer, GenerationDefaults generation)
        implements AutoCloseable {

    public static LoadedModel open(Path folder) {
        Runtime.init();
        TransformerModel model = Models.load(folder);
        try {
            Tokenizer tokenizer = Tokenizer.existsIn(folder) ? Tokenizer.load(folder) : null;
            return new LoadedModel(folder, model, tokenizer, GenerationDefaults.read(folder, model.config()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The tokenizer; an error naming the folder if it has none. */
    public Tokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new ScalpelException(folder + ": this model folder has no tokenizer.json; pass token ids instead of text");
        }
        return tokenizer;
    }

    /** A generator that pads with the model's pad id and decodes with its tokenizer (when there is one). */
    public Generator generator() {
        return new Generator(model, tokenizer, generation.padTokenId());
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        model.close();
    }
}
