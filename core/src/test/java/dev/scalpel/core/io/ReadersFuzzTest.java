package dev.scalpel.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.generate.GenerationDefaults;
import dev.scalpel.core.io.npy.NpyReader;
import dev.scalpel.core.io.npy.NpzReader;
import dev.scalpel.core.io.onnx.OnnxReader;
import dev.scalpel.core.model.HfConfig;
import dev.scalpel.core.model.ModelConfig;
import dev.scalpel.core.model.ModelConfigs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz targets for the readers of files a user downloads: every input either reads or is refused with one of
 * Scalpel's typed exceptions (a {@link ScalpelException} naming the file); anything else that escapes (an
 * IndexOutOfBoundsException, a NullPointerException, an OutOfMemoryError from a size read off the input) is a bug.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs once per committed input under
 * {@code src/test/resources/dev/scalpel/core/io/ReadersFuzzTestInputs/<target>/} (the regression pass every build
 * runs: real files, Big List of Naughty Strings seeds, and every input a fuzzing run ever found); with
 * {@code JAZZER_FUZZ=1} the named target is fuzzed ({@code tools/fuzz/run.sh}).
 */
class ReadersFuzzTest {
    /** One folder for the whole run: the targets rewrite their file in it for every input. */
    @TempDir
    static Path DIR;

    private static Path write(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] data) {
        Path file = write("model.safetensors", data);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            f.metadata();
            for (TensorInfo info : f.infos()) {
                // Widening reads every byte the header points at: the offsets must lie inside the file.
                if (info.dtype() == DType.I64 || info.dtype() == DType.I32) {
                    f.toLongs(info.name());
                } else {
                    f.toFloats(info.name());
                }
            }
        } catch (ScalpelException refused) {
            // the typed refusal is the wanted outcome for a broken file
        }
    }

    @FuzzTest(maxDuration = "10m")
    void shardIndex(byte[] data) {
        Path file = write(ShardIndex.FILE_NAME, data);
        try {
            ShardIndex.read(file).weightMap().forEach((tensor, shard) -> { });
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }

    /** config.json read into a model configuration, then generation_config.json (the same bytes) on top of it. */
    @FuzzTest(maxDuration = "10m")
    void configJson(byte[] data) {
        Path folder = DIR.resolve("model");
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve("config.json"), data);
            Files.write(folder.resolve("generation_config.json"), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ModelConfig config = ModelConfigs.read(HfConfig.read(folder.resolve("config.json")));
            GenerationDefaults.read(folder, config);
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }

    @FuzzTest(maxDuration = "10m")
    void onnx(byte[] data) {
        try {
            OnnxReader.read(new ByteArrayInputStream(data), "fuzz.onnx", tensor -> { });
        } catch (ScalpelException refused) {
            // refused with the source's name
        }
    }

    /**
     * tokenizer.json, loaded by the Hugging Face tokenizers library (native code behind DJL), then used on a sentence:
     * a file it cannot load is refused naming the file; one it loads must encode and decode without escaping errors.
     */
    @FuzzTest(maxDuration = "10m")
    void tokenizerJson(byte[] data) {
        Path file = write("tokenizer.json", data);
        try {
            dev.scalpel.core.text.Tokenizer tokenizer = dev.scalpel.core.text.Tokenizer.load(file);
            tokenizer.decode(tokenizer.encode("The quick brown fox, 42 times: naïve café 日本語."));
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }

    @FuzzTest(maxDuration = "10m")
    void npy(byte[] data) {
        try {
            NpyReader.read(write("array.npy", data));
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }

    @FuzzTest(maxDuration = "10m")
    void npz(byte[] data) {
        try {
            NpzReader.readAll(write("params.npz", data));
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }
}
