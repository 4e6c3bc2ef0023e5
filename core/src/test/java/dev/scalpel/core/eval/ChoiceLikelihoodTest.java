package dev.scalpel.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.TransformerModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A choice's log-likelihood from one pass equals the sum over one pass per prefix, in double precision. */
class ChoiceLikelihoodTest {

    private static double prefixByPrefix(TransformerModel model, long[] ids, int from) {
        double sum = 0;
        for (int t = from; t < ids.length; t++) {
            long[] prefix = Arrays.copyOf(ids, t);
            try (NDManager m = model.newManager();
                 ForwardResult r = model.forward(ForwardRequest.of(m.create(prefix, new Shape(1, t))), Hooks.none(), m)) {
                float[] logits = r.logits().toFloatArray();
                int vocab = (int) r.logits().getShape().get(2);
                int last = (t - 1) * vocab;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[last + v]);
                }
                double z = 0;
                for (int v = 0; v < vocab; v++) {
                    z += Math.exp(logits[last + v] - max);
                }
                sum += logits[last + (int) ids[t]] - max - Math.log(z);
            }
        }
        return sum;
    }

    @Test
    void scoresMatchPrefixByPrefixLogProbabilities() {
        Path gpt2 = Path.of(System.getProperty("user.dir")).resolve("src/test/resources/fixtures/gpt2-tiny");
        try (LoadedModel lm = LoadedModel.open(gpt2)) {
            var tokenizer = lm.requireTokenizer();
            String context = "Question: which is a color? Answer:";
            List<String> choices = List.of(" red", " seven cars", " quickly");
            double[] scores = ChoiceLikelihood.of(lm.model(), tokenizer, context, choices);
            long[] prefix = tokenizer.encode(context, true);
            for (int c = 0; c < choices.size(); c++) {
                long[] whole = tokenizer.encode(context + choices.get(c), true);
                assertEquals(prefixByPrefix(lm.model(), whole, prefix.length), scores[c], 1e-4, choices.get(c));
            }
            assertEquals(ChoiceLikelihood.best(scores), java.util.stream.IntStream.range(0, 3).boxed()
                    .max(java.util.Comparator.comparingDouble(i -> scores[i])).orElseThrow());
        }
    }
}
