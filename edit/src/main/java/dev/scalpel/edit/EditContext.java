package dev.scalpel.edit;

import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every editor works with: the model and tokenizer, the edit site, the second moments C0 of its layers, and the
 * context templates keys and values are averaged over.
 */
public record EditContext(TransformerModel model, Tokenizer tokenizer, long padId, EditSite site,
                          Map<Integer, Matrix> secondMoments, List<String> contextTemplates) {

    public ValueOptimizer values() {
        return new ValueOptimizer(model, tokenizer, padId);
    }

    /**
     * The keys of {@code requests} at {@code layer} ([d_ff, n]): MEMIT's average of the key at the subject's last token
     * in the bare prompt and, equally weighted, the mean over the prefixed templates.
     */
    public Matrix keys(List<EditRequest> requests, int layer) {
        List<String> texts = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (EditRequest r : requests) {
            for (String context : contextTemplates) {
                String template = context.replace("{}", r.prompt());
                texts.add(template.replace("{}", r.subject()));
                positions.add(SubjectLocator.lastSubjectToken(tokenizer, template, r.subject()));
            }
        }
        TokenBatch batch = TokenBatch.right(texts.stream().map(tokenizer::encode).toList(), padId);
        Matrix all = Activations.at(model, batch, positions.stream().mapToInt(Integer::intValue).toArray(),
                List.of(site.keyHook(layer))).get(site.keyHook(layer));      // [n * contexts, d_ff]
        int contexts = contextTemplates.size();
        int dff = all.cols();
        Matrix keys = Matrix.zeros(dff, requests.size());
        for (int i = 0; i < requests.size(); i++) {
            for (int j = 0; j < dff; j++) {
                double bare = all.get(i * contexts, j);
                double prefixed = 0;
                for (int c = 1; c < contexts; c++) {
                    prefixed += all.get(i * contexts + c, j);
                }
                keys.set(j, i, contexts > 1 ? 0.5 * bare + 0.5 * prefixed / (contexts - 1) : bare);
            }
        }
        return keys;
    }

    /** The current output of {@code layer} at the subject's last token of each bare rewrite prompt ([d_model, n]). */
    public Matrix outputs(List<EditRequest> requests, int layer) {
        List<String> texts = new ArrayList<>();
        int[] positions = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            EditRequest r = requests.get(i);
            texts.add(r.filledPrompt());
            positions[i] = SubjectLocator.lastSubjectToken(tokenizer, r.prompt(), r.subject());
        }
        TokenBatch batch = TokenBatch.right(texts.stream().map(tokenizer::encode).toList(), padId);
        return Activations.at(model, batch, positions, List.of(EditSite.outputHook(layer)))
                .get(EditSite.outputHook(layer)).transpose();
    }
}
