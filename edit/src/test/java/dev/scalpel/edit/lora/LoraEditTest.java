package dev.scalpel.edit.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.adapter.LoraAdapter;
import dev.scalpel.core.adapter.PeftFormat;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSite;
import dev.scalpel.edit.ft.EditLoss;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA editing on the tiny random-weight Llama fixture. */
class LoraEditTest {
    private static final EditRequest EDIT = new EditRequest("0", "The {} is a kind of", "poodle", "bird and fish", "dog",
            List.of(), List.of(), List.of(), List.of());
    private static final int RANK = 4;

    private static LoadedModel open() {
        return LoadedModel.open(Path.of(System.getProperty("scalpel.fixtures")).resolve("llama-tiny"));
    }

    private static float[] logits(TransformerModel model, long[] ids, dev.scalpel.core.hooks.Hooks hooks, NDManager m) {
        return model.forward(ForwardRequest.of(m.create(ids).reshape(1, ids.length)), hooks, m).logits().toFloatArray();
    }

    @Test
    void theMergedAdapterIsTheHookedOneAndChangesTheWeightByARankRMatrix(@TempDir Path dir) {
        try (LoadedModel edited = open(); LoadedModel frozen = open(); NDManager nd = NDManager.newBaseManager()) {
            TransformerModel model = edited.model();
            EditContext context = new EditContext(model, edited.requireTokenizer(), 1, EditSite.of(model, List.of(1)),
                    Map.of(), List.of());
            LinearModule down = context.site().module(1);
            Matrix before = Matrix.from(model.parameters().get(down.weight()));
            EditLoss.Rows rows = EditLoss.TARGET_NEW.rows(List.of(EDIT), edited.requireTokenizer(), 1);
            LoraHyperparameters hp = new LoraHyperparameters(List.of(1), EditLoss.TARGET_NEW, RANK, 8, 20, 1, 1e-2, 0, 0);
            LoraEdit editor = (LoraEdit) hp.editor(context);
            double lossBefore = editor.loss(rows, nd);
            editor.apply(List.of(EDIT));
            double lossAfter = editor.loss(rows, nd);
            assertTrue(lossAfter < lossBefore - 0.2, "loss " + lossBefore + " -> " + lossAfter);

            LoraAdapter adapter = editor.lastAdapter();
            Matrix change = Matrix.from(model.parameters().get(down.weight())).minus(before);
            assertTrue(change.minus(adapter.delta(down.name())).norm() < 1e-5 * change.norm(), "merged W - W0 = s B A");
            double[] s = Linalg.svd(change).s();
            assertTrue(s[RANK] < 1e-4 * s[0], "rank at most " + RANK + ": singular value " + RANK + " is " + s[RANK]
                    + " of " + s[0]);

            // The same adapter through the hooks on the unedited model gives the merged model's logits.
            long[] ids = rows.batch().rows().getFirst();
            try (Parameters factors = new Parameters(nd.newSubManager())) {
                LoraAdapter.Factors f = adapter.modules().get(down.name());
                factors.put(down.name() + ".lora_A", f.a().toNDArray(factors.manager(), ai.djl.ndarray.types.DataType.FLOAT32),
                        DType.F32);
                factors.put(down.name() + ".lora_B", f.b().toNDArray(factors.manager(), ai.djl.ndarray.types.DataType.FLOAT32),
                        DType.F32);
                float[] hooked = logits(frozen.model(), ids, LoraEdit.hooks(nd, List.of(down), factors, adapter.scale()), nd);
                float[] merged = logits(model, ids, dev.scalpel.core.hooks.Hooks.none(), nd);
                double max = 0;
                for (int i = 0; i < merged.length; i++) {
                    max = Math.max(max, Math.abs(merged[i] - hooked[i]));
                }
                assertTrue(max < 1e-4, "hooked and merged logits differ by " + max);
            }

            PeftFormat.write(adapter, model, "llama-tiny", dir);
            assertEquals(adapter.modules().keySet(), PeftFormat.read(dir).modules().keySet());
        }
    }
}
