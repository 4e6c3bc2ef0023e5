package dev.scalpel.edit.ft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSite;
import dev.scalpel.edit.Editor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EasyEdit's FT on the tiny random-weight Llama fixture: the losses against a brute force, the bound, the stop. */
class FineTuneTest {
    private static final EditRequest EDIT = new EditRequest("0", "The {} is a kind of", "poodle", "bird and fish", "dog",
            List.of(), List.of(), List.of(), List.of());

    private static LoadedModel open() {
        return LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("llama-tiny"));
    }

    private static EditContext context(LoadedModel m, List<Integer> layers) {
        return new EditContext(m.model(), m.requireTokenizer(), 1, EditSite.of(m.model(), layers), Map.of(), List.of());
    }

    private static FineTuneHyperparameters hp(EditLoss loss, int steps, double lr, double linf, double stop) {
        return new FineTuneHyperparameters(List.of(1), loss, steps, 1, lr, linf, stop, 0);
    }

    /** log-softmax of one position's logits, in double. */
    private static double logProb(float[] logits, int vocab, int position, long token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[position * vocab + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits[position * vocab + v] - max);
        }
        return logits[position * vocab + (int) token] - max - Math.log(sum);
    }

    private static float[] logits(TransformerModel model, long[] ids, NDManager m) {
        return model.forward(ForwardRequest.of(m.create(ids).reshape(1, ids.length)), m).logits().toFloatArray();
    }

    @Test
    void lossesAreThoseTheirDefinitionsGive() {
        try (LoadedModel m = open(); NDManager nd = NDManager.newBaseManager()) {
            Tokenizer tok = m.requireTokenizer();
            int vocab = m.model().config().vocabSize();
            long[] prompt = tok.encode(EDIT.filledPrompt());
            long[] target = tok.encode(" " + EDIT.targetNew(), false);
            assertTrue(target.length > 1, "the test needs a target of several tokens");
            float[] promptLogits = logits(m.model(), prompt, nd);
            double bag = 0;
            for (long t : target) {
                bag -= logProb(promptLogits, vocab, prompt.length - 1, t) / target.length;
            }
            long[] joined = java.util.Arrays.copyOf(prompt, prompt.length + target.length);
            System.arraycopy(target, 0, joined, prompt.length, target.length);
            float[] joinedLogits = logits(m.model(), joined, nd);
            double forced = 0;
            for (int j = 0; j < target.length; j++) {
                forced -= logProb(joinedLogits, vocab, prompt.length - 1 + j, target[j]) / target.length;
            }
            double promptLast = EditLoss.loss(m.model(), EditLoss.PROMPT_LAST.rows(List.of(EDIT), tok, 1), nd).getFloat();
            double targetNew = EditLoss.loss(m.model(), EditLoss.TARGET_NEW.rows(List.of(EDIT), tok, 1), nd).getFloat();
            assertEquals(bag, promptLast, 1e-4);
            assertEquals(forced, targetNew, 1e-4);
        }
    }

    @Test
    void ftLMovesOnlyTheDownProjectionAndNoWeightFurtherThanItsBound() {
        try (LoadedModel m = open(); NDManager nd = NDManager.newBaseManager()) {
            TransformerModel model = m.model();
            EditContext context = context(m, List.of(1));
            String down = context.site().module(1).weight();
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            model.parameters().names().forEach(n -> before.put(n, model.parameters().get(n).toFloatArray()));
            EditLoss.Rows rows = EditLoss.PROMPT_LAST.rows(List.of(EDIT), m.requireTokenizer(), 1);
            double lossBefore = EditLoss.loss(model, rows, nd).getFloat();
            double bound = 2e-2;
            Editor.BatchResult r = hp(EditLoss.PROMPT_LAST, 10, 5e-2, bound, 0).editor(context).apply(List.of(EDIT));
            for (var e : before.entrySet()) {
                float[] now = model.parameters().get(e.getKey()).toFloatArray();
                if (!e.getKey().equals(down)) {
                    assertArrayEquals(e.getValue(), now, e.getKey() + " must not change");
                    continue;
                }
                double moved = 0;
                for (int i = 0; i < now.length; i++) {
                    moved = Math.max(moved, Math.abs(now[i] - e.getValue()[i]));
                }
                assertTrue(moved <= bound * (1 + 1e-5), "moved " + moved + " past the bound " + bound);
                assertTrue(moved > bound / 2, "the bound binds at this learning rate (moved " + moved + ")");
            }
            double lossAfter = EditLoss.loss(model, rows, nd).getFloat();
                        assertTrue(lossAfter < lossBefore - 0.05, "loss " + lossBefore + " -> " + lossAfter);
            assertEquals(List.of(10), r.valueIterations());
            assertTrue(r.deltaNorms().get(1) > 0);
        }
    }

    /**
     * A random-weight model's logits are bounded (the final norm fixes the hidden state's scale, and lm_head is small),
     * so its loss floor is about 5 nats here (measured 5.03 after 200 epochs); the stop threshold sits above it.
     */
    @Test
    void ftMFitsTheTargetAndStopsOnceTheLossIsUnderTheThreshold() {
        try (LoadedModel m = open(); NDManager nd = NDManager.newBaseManager()) {
            EditContext context = context(m, List.of(1));
            EditLoss.Rows rows = EditLoss.TARGET_NEW.rows(List.of(EDIT), m.requireTokenizer(), 1);
            double before = EditLoss.loss(m.model(), rows, nd).getFloat();
            double threshold = 5.5;
            assertTrue(before > threshold + 0.3, "the unedited loss " + before + " starts well above the threshold");
            Editor.BatchResult r = hp(EditLoss.TARGET_NEW, 200, 1e-2, 0, threshold).editor(context).apply(List.of(EDIT));
            int epochs = r.valueIterations().getFirst();
            double after = EditLoss.loss(m.model(), rows, nd).getFloat();
            assertTrue(epochs < 200, "stopped early, after " + epochs + " epochs");
            assertTrue(after < threshold, "teacher-forced loss " + before + " -> " + after);
        }
    }
}
