package dev.scalpel.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.edit.rome.Rome;
import dev.scalpel.edit.rome.RomeHyperparameters;
import dev.scalpel.edit.stats.SecondMoment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemma 2 normalizes the MLP's output before adding it to the residual stream. ROME's v* belongs to the down projection
 * itself (the reference hooks the MLP module's output, before that norm): the edit must make the projection, not the
 * normalized output, equal v*.
 */
class RomeGemma2Test {

    @Test
    void romeOnGemma2SolvesForTheDownProjectionBeforeItsPostNorm(@TempDir Path cache) {
        try (LoadedModel m = LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("gemma2-tiny"))) {
            int layer = 1;
            Map<Integer, Matrix> c0 = new SecondMoment(m.model(), m.requireTokenizer(), cache)
                    .compute(List.of(layer), Corpus.of("tiny", ModelEditTest.corpus()), 50_000, 256, 256, t -> { });
            EditSite site = EditSite.of(m.model(), List.of(layer));
            assertEquals(HookNames.block(layer, HookNames.MLP_PROJECTION), site.projectionOutputHook(layer));
            EditContext ctx = new EditContext(m.model(), m.requireTokenizer(), 0, site, c0, List.of("{}"));
            var hp = new RomeHyperparameters(List.of(layer), new ValueHyperparameters(10, 0.5, 0.0625, 0.5, 4, 0.05, -1), 1000);
            EditRequest request = ModelEditTest.REQUEST;
            Rome.RankOne r = new Rome(ctx, hp).compute(request);
            long[] ids = m.requireTokenizer().encode(request.filledPrompt());
            int at = SubjectLocator.lastSubjectToken(m.requireTokenizer(), request.prompt(), request.subject());
            String projection = HookNames.block(layer, HookNames.MLP_PROJECTION);
            String normalized = HookNames.block(layer, HookNames.MLP_OUT);
            float[] before = read(m, ids, at, projection);
            assertTrue(distance(before, r.currentOutput()) < 1e-4 * norm(before),
                    "ROME's current output is the projection's output before the edit");
            assertTrue(distance(read(m, ids, at, normalized), r.currentOutput()) > 1e-2 * norm(before),
                    "and not the post-normed MLP output (the two differ on this model)");

            site.add(m.model(), layer, r.delta());
            float[] after = read(m, ids, at, projection);
            // float32 weights and activations after the edit, hence the bound.
            assertTrue(distance(after, r.value()) < 1e-4 * norm(after), "the edited projection outputs v*: error "
                    + distance(after, r.value()));
        }
    }

    private static float[] read(LoadedModel m, long[] ids, int at, String hook) {
        try (NDManager nd = NDManager.newBaseManager()) {
            Hooks h = Hooks.caching(nd, List.of(hook));
            m.model().forward(ForwardRequest.of(nd.create(ids).reshape(1, ids.length)), h, nd);
            return h.cache().get(hook).get(0, at).toFloatArray();
        }
    }

    private static double distance(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
