package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.compress.qid.QidLaw;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.ShippedModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `qid ladder` measures and caches every cell; `qid fit` recovers a law from a results file. */
class QidCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLadderMeasuresEveryCellOnceAndAResumedLadderReusesThem(@TempDir Path home) throws Exception {
        Path model = ShippedModels.of(new LabHome(home.resolve("unpacked"))).folder("lab-lm").orElseThrow()
                .resolve("model");
        Path checkpoints = home.resolve("run/checkpoints");
        for (String name : new String[] {"tokens-000000001000", "tokens-000000002000"}) {
            Path to = checkpoints.resolve(name);
            Files.createDirectories(to);
            try (var files = Files.list(model)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Path spec = home.resolve("ladder.json");
        Files.writeString(spec, """
                {"models": [{"name": "lab-lm", "checkpoints": "run/checkpoints"}], "bits": [2, 4], "methods": ["rtn"],
                 "group_size": 64, "window": 128, "held_out_tokens": 4096}
                """);
        String[] args = {"qid", "ladder", spec.toString(), "--report", home.resolve("report").toString(), "--work",
                home.resolve("work").toString(), "--resamples", "20"};
        var first = new ChildScalpel(home).run("ladder", args);
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("[4/4] lab-lm tokens-000000002000 rtn 4-bit"), first.out());
        assertTrue(first.out().contains("no fit: fitting the QiD law needs at least"), "one size is not a law: "
                + first.out());
        JsonNode cells = JSON.readTree(home.resolve("report/results.json").toFile()).path("cells");
        assertEquals(4, cells.size());
        double twoBit = cells.get(0).path("qid").asDouble();
        double fourBit = cells.get(1).path("qid").asDouble();
        assertTrue(twoBit > fourBit && fourBit > 0, "QiD at 2 bits " + twoBit + ", at 4 bits " + fourBit);
        assertEquals(cells.get(0).path("qid").asDouble(), cells.get(2).path("qid").asDouble(), 0,
                "the same weights at another token count degrade alike");
        assertEquals(4, Files.readAllLines(home.resolve("work/cells.jsonl")).size());
        assertEquals(1, Files.readAllLines(home.resolve("work/full-precision.jsonl")).size(),
                "the full-precision loss is keyed by the weights and data: the two copies share one measurement");

        var resumed = new ChildScalpel(home).run("ladder-again", args);
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertEquals(4, Files.readAllLines(home.resolve("work/cells.jsonl")).size(), "nothing was recomputed");
        assertEquals(1, Files.readAllLines(home.resolve("work/full-precision.jsonl")).size());
        assertEquals(cells, JSON.readTree(home.resolve("report/results.json").toFile()).path("cells"));
    }

    @Test
    void aFitOfCellsMadeByAKnownLawGivesItBack(@TempDir Path home) throws Exception {
        // Two methods, each following its own law: each is fitted on its own cells and given back.
        Map<String, QidLaw> truths = Map.of("rtn", new QidLaw(2.0, 0.25, 0.5, 4.0), "gptq", new QidLaw(0.5, 0.1, 0.7, 3.0));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode cells = root.putArray("cells");
        for (var truth : truths.entrySet()) {
            for (double n : new double[] {1e6, 4e6}) {
                for (double d : new double[] {1e7, 1e8, 1e9}) {
                    for (int p : new int[] {2, 3, 4}) {
                        cells.addObject().put("method", truth.getKey()).put("parameters", n).put("tokens", d)
                                .put("bits", p).put("qid", truth.getValue().predict(n, d, p));
                    }
                }
            }
        }
        Path file = home.resolve("results.json");
        JSON.writeValue(file.toFile(), root);
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "qid", "fit",
                file.toString(), "--resamples", "20", "--json");
        assertEquals(0, code, out.toString());
        String[] lines = out.toString().strip().split("\n");
        JsonNode fits = JSON.readTree(lines[lines.length - 1]);
        for (var truth : truths.entrySet()) {
            for (String method : new String[] {"log_linear", "nonlinear"}) {
                JsonNode law = fits.path(truth.getKey()).path(method).path("law");
                String what = truth.getKey() + " " + method;
                assertEquals(truth.getValue().alpha(), law.path("alpha").asDouble(), 1e-6, what);
                assertEquals(truth.getValue().beta(), law.path("beta").asDouble(), 1e-6, what);
                assertEquals(truth.getValue().gamma(), law.path("gamma").asDouble(), 1e-6, what);
            }
        }
        assertTrue(out.toString().contains("log_linear alpha 0.2500"), out.toString());
    }
}
