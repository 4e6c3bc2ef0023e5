package dev.scalpel.interpret.sae;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves an SAE as a SAELens 6 folder, {@code cfg.json} + {@code sae_weights.safetensors} (float32), which SAELens's
 * {@code SAE.load_from_disk} and Scalpel's {@link SaeLoader} both read. A Gemma Scope SAE saved this way becomes a
 * JumpReLU SAE with {@code apply_b_dec_to_input: false}. The weights are written first and the config last, each
 * atomically, so a folder that has a {@code cfg.json} always has the weights it describes.
 */
public final class SaeWriter {
    private SaeWriter() {}

    /** Writes {@code sae} into {@code folder}, creating it if needed and replacing an SAE already there. */
    public static void save(SparseAutoencoder sae, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot create folder: " + e.getMessage(), e);
        }
        try (Arena arena = Arena.ofConfined()) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            entries.add(entry("W_enc", sae.wEnc(), arena));
            entries.add(entry("W_dec", sae.wDec(), arena));
            entries.add(entry("b_enc", sae.bEnc(), arena));
            entries.add(entry("b_dec", sae.bDec(), arena));
            if (sae.threshold() != null) {
                entries.add(entry("threshold", sae.threshold(), arena));
            }
            SafetensorsWriter.write(folder.resolve(SaeLoader.WEIGHTS_FILE), entries, Map.of("format", "pt"));
        }
        writeAtomically(folder.resolve(SaeLoader.CONFIG_FILE), SaeLensConfig.of(sae).toJson());
    }

    private static SafetensorsWriter.Entry entry(String name, NDArray a, Arena arena) {
        return new SafetensorsWriter.Entry(name, DType.F32, a.getShape().getShape(), Float32Tensors.toBytes(a, arena));
    }

    private static void writeAtomically(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot write: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // The write already succeeded or failed with its own error; a stray temp file is not worth masking it.
            }
        }
    }
}
