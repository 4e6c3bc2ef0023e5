package dev.scalpel.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.hparams.HyperparameterOverride;
import dev.scalpel.core.model.HfConfig;
import dev.scalpel.core.model.ModelConfig;
import dev.scalpel.core.model.ModelConfigs;
import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.ft.FineTuneHyperparameters;
import dev.scalpel.edit.lora.LoraHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.rome.RomeHyperparameters;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the hyperparameters every method gets for every model it was tuned for, as they were chosen before they became
 * data: the numbers each method's algorithm reads must never change by accident.
 */
class HyperparameterPinTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, ModelConfig> models() {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        models.put("lab-lm", config(LabSpec.of("lab-lm", LabProfile.DEFAULT).config()));
        models.put("lab-lm-tiny", config(LabSpec.of("lab-lm", LabProfile.TINY).config()));
        models.put("llama-tiny", ModelConfigs.read(HfConfig.read(ModelEditTest.llamaTiny().resolve("config.json"))));
        ObjectNode deepSmall = LabSpec.of("lab-lm", LabProfile.DEFAULT).config().deepCopy();
        deepSmall.put("num_hidden_layers", 9).put("hidden_size", 128).put("head_dim", 16)
                .put("intermediate_size", 256);
        models.put("small-9-layers", config(deepSmall));
        ObjectNode gpt2 = JSON.createObjectNode();
        gpt2.putArray("architectures").add("GPT2LMHeadModel");
        gpt2.put("model_type", "gpt2").put("vocab_size", 50257).put("n_embd", 1600).put("n_layer", 48)
                .put("n_head", 25).put("n_positions", 1024).put("layer_norm_epsilon", 1e-5);
        models.put("gpt2-xl", config(gpt2));
        ObjectNode llama = LabSpec.of("lab-lm", LabProfile.DEFAULT).config().deepCopy();
        llama.put("vocab_size", 128256).put("hidden_size", 4096).put("num_hidden_layers", 32)
                .put("num_attention_heads", 32).put("num_key_value_heads", 8).put("head_dim", 128)
                .put("intermediate_size", 14336);
        models.put("llama3-8b", config(llama));
        return models;
    }

    private static ModelConfig config(ObjectNode json) {
        return ModelConfigs.read(new HfConfig(Path.of("config.json"), json));
    }

    /** The values a method's algorithm reads, in a fixed order (ROME's clamp is the one it optimizes its value with). */
    static String effective(EditHyperparameters hp) {
        if (hp instanceof FineTuneHyperparameters f) {
            return "ft layers=" + f.layers() + " loss=" + f.loss() + " steps=" + f.steps() + " batch=" + f.batchSize()
                    + " lr=" + f.learningRate() + " linf=" + f.normConstraint() + " stop=" + f.stopLoss() + " c0="
                    + f.c0Tokens();
        }
        if (hp instanceof LoraHyperparameters l) {
            return "lora layers=" + l.layers() + " loss=" + l.loss() + " r=" + l.rank() + " alpha=" + l.alpha() + " steps="
                    + l.steps() + " batch=" + l.batchSize() + " lr=" + l.learningRate() + " stop=" + l.stopLoss() + " c0="
                    + l.c0Tokens();
        }
        ValueHyperparameters v = ((LocateThenEditHyperparameters) hp).value();
        String common = "layers=" + hp.layers() + " steps=" + v.steps() + " lr=" + v.learningRate() + " kl=" + v.klFactor()
                + " decay=" + v.weightDecay() + " clamp=" + v.clampNormFactor() + " stop=" + v.earlyStopLoss()
                + " mpes=" + v.mpesExtra() + " c0=" + hp.c0Tokens();
        return hp.method().cliName() + " " + common + switch (hp) {
            case RomeHyperparameters r -> "";
            case MemitHyperparameters m -> " lambda=" + m.covarianceWeight();
            case AlphaEditHyperparameters a -> " threshold=" + a.nullspaceThreshold() + " relative="
                    + a.nullspaceRelative() + " l2=" + a.alphaL2();
            case EncoreHyperparameters e -> " lambdaP=" + e.covarianceWeight() + " lambdaN=" + e.normWeight();
            default -> throw new IllegalArgumentException(hp.toString());
        };
    }

    /** @param model how the user names it: its name, or a folder whose name is not the model's */
    static String chosen(String model, ModelConfig config, EditMethod method) {
        return effective(EditHyperparameterFiles.forModel(method, model, config, null, List.of()));
    }

    private static String all(java.util.function.Function<String, String> argument) {
        StringBuilder all = new StringBuilder();
        for (var model : models().entrySet()) {
            for (EditMethod method : EditMethod.values()) {
                all.append(model.getKey()).append(": ")
                        .append(chosen(argument.apply(model.getKey()), model.getValue(), method)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void everyMethodOnEveryModelKeepsItsValuesByName() {
        assertEquals(PINNED, all(name -> name));
    }

    @Test
    void aModelFolderWithoutANameGetsTheSameValues() {
        assertEquals(PINNED, all(name -> "/home/someone/.cache/scalpel/lab/" + name + "/model"));
    }

    @Test
    void aUserFileAndOverridesReplaceTheDefaults(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        ModelConfig gpt2 = models().get("gpt2-xl");
        var overridden = (MemitHyperparameters) EditHyperparameterFiles.forModel(EditMethod.MEMIT, "gpt2-xl", gpt2, null,
                List.of(HyperparameterOverride.parse("covarianceWeight=100"), HyperparameterOverride.parse("layers=[17]"),
                        HyperparameterOverride.parse("value.steps=5")));
        assertEquals(100.0, overridden.covarianceWeight());
        assertEquals(List.of(17), overridden.layers());
        assertEquals(5, overridden.value().steps());
        assertEquals(12_800_000L, overridden.c0Tokens());
        Path file = dir.resolve("mine.json");
        java.nio.file.Files.writeString(file, """
                {"layers": [3], "value": {"steps": 7, "learningRate": 0.5, "klFactor": 0.0625, "weightDecay": 0.5,
                 "clampNormFactor": 4, "earlyStopLoss": 0.05, "mpesExtra": -1}, "c0Tokens": 1000}
                """);
        assertEquals("rome layers=[3] steps=7 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=1000",
                effective(EditHyperparameterFiles.forModel(EditMethod.ROME, "gpt2-xl", gpt2, file.toString(), List.of())));
        var wrong = org.junit.jupiter.api.Assertions.assertThrows(dev.scalpel.core.ScalpelException.class,
                () -> EditHyperparameterFiles.forModel(EditMethod.MEMIT, "gpt2-xl", gpt2, file.toString(), List.of()));
        assertEquals(file + ": missing key 'covarianceWeight' (every hyperparameter must be given)", wrong.getMessage());
        // ENCORE without early stopping is its memit+norm ablation, and the editor says so in its name.
        var withoutMpes = EditHyperparameterFiles.forModel(EditMethod.ENCORE, "lab-lm", models().get("lab-lm"), null,
                List.of(HyperparameterOverride.parse("value.mpesExtra=-1")));
        assertEquals("memit+norm", withoutMpes.editor(null).name());
        assertEquals("encore", EditHyperparameterFiles.forModel(EditMethod.ENCORE, "lab-lm", models().get("lab-lm"), null,
                List.of()).editor(null).name());
    }

    private static final String PINNED = """
            lab-lm: rome layers=[1, 2] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=300000
            lab-lm: memit layers=[1, 2] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 lambda=100.0
            lab-lm: alphaedit layers=[1, 2] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 threshold=0.01 relative=true l2=10.0
            lab-lm: encore layers=[1, 2] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=2 c0=300000 lambdaP=100.0 lambdaN=1.0
            lab-lm: ft layers=[1, 2] loss=PROMPT_LAST steps=25 batch=3 lr=5.0E-4 linf=0.03 stop=0.01 c0=0
            lab-lm: lora layers=[1, 2] loss=TARGET_NEW r=8 alpha=32.0 steps=10 batch=1 lr=0.001 stop=0.0 c0=0
            lab-lm-tiny: rome layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=300000
            lab-lm-tiny: memit layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 lambda=100.0
            lab-lm-tiny: alphaedit layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 threshold=0.01 relative=true l2=10.0
            lab-lm-tiny: encore layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=2 c0=300000 lambdaP=100.0 lambdaN=1.0
            lab-lm-tiny: ft layers=[0] loss=PROMPT_LAST steps=25 batch=3 lr=5.0E-4 linf=0.03 stop=0.01 c0=0
            lab-lm-tiny: lora layers=[0] loss=TARGET_NEW r=8 alpha=32.0 steps=10 batch=1 lr=0.001 stop=0.0 c0=0
            llama-tiny: rome layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=300000
            llama-tiny: memit layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 lambda=100.0
            llama-tiny: alphaedit layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 threshold=0.01 relative=true l2=10.0
            llama-tiny: encore layers=[0] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=2 c0=300000 lambdaP=100.0 lambdaN=1.0
            llama-tiny: ft layers=[0] loss=PROMPT_LAST steps=25 batch=3 lr=5.0E-4 linf=0.03 stop=0.01 c0=0
            llama-tiny: lora layers=[0] loss=TARGET_NEW r=8 alpha=32.0 steps=10 batch=1 lr=0.001 stop=0.0 c0=0
            small-9-layers: rome layers=[2, 3] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=300000
            small-9-layers: memit layers=[2, 3] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 lambda=100.0
            small-9-layers: alphaedit layers=[2, 3] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=300000 threshold=0.01 relative=true l2=10.0
            small-9-layers: encore layers=[2, 3] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=2 c0=300000 lambdaP=100.0 lambdaN=1.0
            small-9-layers: ft layers=[2, 3] loss=PROMPT_LAST steps=25 batch=3 lr=5.0E-4 linf=0.03 stop=0.01 c0=0
            small-9-layers: lora layers=[2, 3] loss=TARGET_NEW r=8 alpha=32.0 steps=10 batch=1 lr=0.001 stop=0.0 c0=0
            gpt2-xl: rome layers=[13, 14, 15, 16, 17] steps=20 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=12800000
            gpt2-xl: memit layers=[13, 14, 15, 16, 17] steps=20 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=12800000 lambda=20000.0
            gpt2-xl: alphaedit layers=[13, 14, 15, 16, 17] steps=20 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=12800000 threshold=0.02 relative=false l2=10.0
            gpt2-xl: encore layers=[13, 14, 15, 16, 17] steps=20 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=3 c0=12800000 lambdaP=20000.0 lambdaN=10.0
            gpt2-xl: ft layers=[0] loss=PROMPT_LAST steps=25 batch=3 lr=5.0E-4 linf=5.0E-4 stop=0.01 c0=0
            gpt2-xl: lora layers=[13, 14, 15, 16, 17] loss=TARGET_NEW r=8 alpha=32.0 steps=30 batch=1 lr=0.005 stop=0.0 c0=0
            llama3-8b: rome layers=[4, 5, 6, 7, 8] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=4.0 stop=0.05 mpes=-1 c0=1280000
            llama3-8b: memit layers=[4, 5, 6, 7, 8] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=1280000 lambda=15000.0
            llama3-8b: alphaedit layers=[4, 5, 6, 7, 8] steps=25 lr=0.1 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=-1 c0=1280000 threshold=0.02 relative=false l2=10.0
            llama3-8b: encore layers=[4, 5, 6, 7, 8] steps=25 lr=0.5 kl=0.0625 decay=0.5 clamp=0.75 stop=0.05 mpes=1 c0=1280000 lambdaP=15000.0 lambdaN=20.0
            llama3-8b: ft layers=[21] loss=PROMPT_LAST steps=25 batch=1 lr=5.0E-4 linf=0.0 stop=0.01 c0=0
            llama3-8b: lora layers=[4, 5, 6, 7, 8] loss=TARGET_NEW r=8 alpha=32.0 steps=70 batch=1 lr=0.005 stop=0.0 c0=0
            """;
}
