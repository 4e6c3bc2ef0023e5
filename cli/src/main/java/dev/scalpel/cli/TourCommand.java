package dev.scalpel.cli;

import dev.scalpel.core.io.ScalpelHome;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabManifest;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.corpus.LabCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel tour}: what Scalpel does, on models it trained itself (the lab's, built or reused), a real pretrained
 * encoder (all-MiniLM-L6-v2) and small checkpoints made with transformers, ending with an HTML report. Every number in
 * it is computed during the tour. This class gets the models ready and runs the steps in order; the steps live in
 * {@link LabTour}, {@link RuntimeTour} and {@link MethodsTour}.
 */
@Command(name = "tour", description = {
    "Show what Scalpel does and write an HTML report (to --report DIR, default scalpel-tour).",
    "Builds the lab models first if they are missing (about 30 minutes on 2 cores, once; later tours take a minute or two).",
    "--quick uses the lab's tiny profile instead (seconds to build, gibberish text, every step still runs)."})
final class TourCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where the report goes without --report. */
    private static final Path DEFAULT_REPORT = Path.of("scalpel-tour");

    @Mixin
    ResultOptions output = new ResultOptions();

    @Option(names = "--cache", paramLabel = "DIR", description = "where bundled models are unpacked (default: bundled/ in the Scalpel home, $SCALPEL_HOME or ~/.cache/scalpel)")
    Path cache = ScalpelHome.fromEnvironment().bundled();

    @Option(names = "--quick", description = "use the lab's tiny models (built in seconds)")
    boolean quick;

    private PrintWriter out;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final ReportBuilder report = Report.builder("Scalpel tour");
    private Path reportDir;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        reportDir = output.folder(DEFAULT_REPORT);
        LabProfile profile = quick ? LabProfile.TINY : LabProfile.DEFAULT;
        LabHome home = LabHome.fromEnvironment();
        LabBuilder lab = new LabBuilder(home, quick);
        // The shipped models serve unless the user built their own; only the tiny profile (or a jar without the
        // shipped models) trains here.
        for (String name : List.of("lab-lm", "lab-mdlm")) {
            if (!lab.isAvailable(name, profile)) {
                out.printf("Building %s%s; this happens once.%n", name, quick ? " (tiny profile, seconds)" : " (hours on 2 cores)");
                out.flush();
                lab.build(name, profile, false);
            }
        }
        LabManifest lmManifest = lab.resolvedManifest("lab-lm", profile);
        LabManifest mdlmManifest = lab.resolvedManifest("lab-mdlm", profile);
        Path gpt2 = BundledModels.extract("gpt2-tiny", BundledModels.GPT2_FILES, cache);
        Path llama = BundledModels.extract("llama-tiny", BundledModels.LLAMA_FILES, cache);
        report.paragraph("lab-lm and lab-mdlm were trained by Scalpel on corpora it builds offline (State of the Union addresses and "
                + "Moby-Dick, WordNet 3.1 definitions and facts, arithmetic word problems)" + (quick ? ", here with the tiny profile, so their text is gibberish" : "")
                + ". gpt2-tiny and llama-tiny were made with Hugging Face transformers (random weights) and are the test "
                + "suite's golden references. all-MiniLM-L6-v2 is a real pretrained encoder, read from the ONNX file "
                + "LangChain4j ships.");
        LabCorpus corpus = LabCorpus.build(dev.scalpel.lab.build.LabSpec.SEED, profile.corpus());
        try (LoadedModel lm = LoadedModel.open(lab.resolve("lab-lm", profile));
             LoadedModel mdlm = LoadedModel.open(lab.resolve("lab-mdlm", profile));
             LoadedModel g = LoadedModel.open(gpt2); LoadedModel l = LoadedModel.open(llama);
             NDManager nd = NDManager.newBaseManager()) {
            TourSection.Shared shared = new TourSection.Shared(out, report, results, reportDir, quick);
            LabTour labTour = new LabTour(shared);
            RuntimeTour runtime = new RuntimeTour(shared);
            MethodsTour methods = new MethodsTour(shared);
            labTour.inspect(List.of(lm, mdlm, g, l));
            labTour.labModels(lmManifest, mdlmManifest, lab, profile);
            labTour.facts(lm, corpus);
            labTour.arithmetic(lm, corpus);
            runtime.hooks(lm, nd);
            runtime.steer(lm, nd);
            runtime.differentiate(lm, nd);
            runtime.editAndSave(lm, corpus, nd);
            methods.knowledgeEdit(lab.resolve("lab-lm", profile), profile == LabProfile.TINY ? "lab-lm-tiny" : "lab-lm",
                    corpus);
            methods.diffusion(mdlm);
            methods.embeddings();
            runtime.batch(l);
            methods.saeProbe();
        }
        out.println();
        output.emit(out, report.build(), results, reportDir);
        return 0;
    }
}
