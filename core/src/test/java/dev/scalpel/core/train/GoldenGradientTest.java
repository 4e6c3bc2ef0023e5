package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** d(loss)/d(parameter) with labels = input_ids equals the gradients transformers computed. */
class GoldenGradientTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "gemma2-tiny", "mistral-tiny"})
    void parameterGradientsMatchTransformers(String fixture) throws IOException {
        double goldenLoss = new ObjectMapper().readTree(Fixtures.model(fixture).resolve("golden.json").toFile()).get("loss").asDouble();
        List<String> keys = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.model(fixture).resolve("golden.safetensors"))) {
            f.names().stream().filter(n -> n.startsWith("grad.")).forEach(keys::add);
        }
        assertTrue(keys.size() > 10, "fixture has gradients");
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            Gradients.Result result = Gradients.ofNextTokenLoss(model, ForwardRequest.of(ids), Hooks.none(), m);
            assertEquals(goldenLoss, result.loss(), 1e-4 * goldenLoss, "loss");
            for (String key : keys) {
                String name = key.substring("grad.".length());
                NDArray expected = Fixtures.golden(m, fixture, key);
                NDArray actual = result.gradients().get(name);
                float scale = expected.abs().max().getFloat();
                float err = Fixtures.maxAbsDiff(actual, expected);
                assertTrue(err <= 1e-4 * scale, fixture + " grad of " + name + " differs by " + err + " (max " + scale + ")");
            }
        }
    }
}
