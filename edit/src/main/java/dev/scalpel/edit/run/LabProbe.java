package dev.scalpel.edit.run;

import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.build.LmEvaluator;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.prose.Passage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Downstream probes on the lab's held-out data, tokenized with the edited model's own tokenizer: perplexity on a fixed
 * slice of held-out text and, for models that learned it (the lab's own), exact-match accuracy on a fixed set of
 * held-out level-1 arithmetic problems.
 */
public final class LabProbe implements DownstreamProbe {
    private final Tokenizer tokenizer;
    private final int[] text;
    private final List<WordProblem> problems;
    private final long eos;
    private final long pad;

    public LabProbe(LabCorpus corpus, Tokenizer tokenizer, long eos, long pad, boolean arithmetic, int textTokens,
                    int problemCount) {
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.pad = pad;
        int[] stream = new int[textTokens];
        int size = 0;
        // Held-out prose: what the lab models' perplexity is measured on.
        for (Passage d : corpus.prose().passages().test()) {
            long[] ids = tokenizer.encode(d.text());
            for (int i = 0; i <= ids.length && size < textTokens; i++) {
                stream[size++] = (int) (i < ids.length ? ids[i] : eos);
            }
            if (size >= textTokens) {
                break;
            }
        }
        this.text = Arrays.copyOf(stream, size);
        this.problems = arithmetic ? corpus.arithmetic().problems().test().stream().filter(p -> p.level() == 1)
                .limit(problemCount).toList() : List.of();
    }

    @Override
    public Map<String, Double> measure(TransformerModel model) {
        LmEvaluator e = new LmEvaluator(model, tokenizer, eos, pad);
        Map<String, Double> out = new LinkedHashMap<>();
        // 128-token windows, or the model's whole context where it is shorter (a small GPT-2 has 64 positions).
        out.put("perplexity", e.perplexity(text, Math.min(128, model.config().maxPositions())));
        if (!problems.isEmpty()) {
            out.put("arithmetic_level_1", e.arithmeticAccuracy(problems));
        }
        return out;
    }
}
