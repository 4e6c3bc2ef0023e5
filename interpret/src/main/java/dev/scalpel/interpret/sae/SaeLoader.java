package dev.scalpel.interpret.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.TensorInfo;
import dev.scalpel.core.io.npy.NpyArray;
import dev.scalpel.core.io.npy.NpzReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Loads sparse autoencoders from the two layouts they are published in:
 *
 * <ul>
 *   <li>a SAELens folder: {@code cfg.json} (SAELens 6 or earlier, see {@link SaeLensConfig}) and
 *       {@code sae_weights.safetensors} holding {@code W_enc, W_dec, b_enc, b_dec} (and {@code threshold} for
 *       JumpReLU) in float32, float16, bfloat16 or float64, widened to float32; a {@code sparsity.safetensors} beside
 *       them is ignored;
 *   <li>a Gemma Scope {@code params.npz} (or a folder holding one): the same five arrays of a JumpReLU SAE that does
 *       not subtract {@code b_dec} from its input; model and hook come from the path (see {@link GemmaScopePath}).
 * </ul>
 *
 * <p>Loading is strict about what changes the features: every tensor the architecture needs must be present, no
 * tensor it does not know may be (a standard SAE with a threshold means the config names the wrong architecture),
 * and every shape must agree with the config. What SAELens versions stored differently is accepted and converted:
 * {@code log_threshold} (exponentiated), an all-ones {@code scaling_factor} (dropped) or another one (folded into
 * {@code W_dec}), and TopK's {@code rescale_acts_by_decoder_norm} (folded into the weights, which leaves the features
 * and reconstructions SAELens computes unchanged).
 *
 * <p>Loading cannot tell whether the SAE matches the activations it will be given; {@link #loadChecked} measures the
 * reconstruction of a sample and warns when it is poor (wrong hook, BOS rows, scale).
 */
public final class SaeLoader {
    public static final String CONFIG_FILE = "cfg.json";
    public static final String WEIGHTS_FILE = "sae_weights.safetensors";
    public static final String GEMMA_SCOPE_FILE = "params.npz";

    private SaeLoader() {}

    /** Loads an SAE onto the default device, owning a new manager that {@link SparseAutoencoder#close()} frees. */
    public static SparseAutoencoder load(Path path) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return loadInto(path, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads an SAE into a sub-manager of {@code parent} (so onto its device, e.g. the model's GPU). */
    public static SparseAutoencoder load(Path path, NDManager parent) {
        NDManager manager = parent.newSubManager();
        try {
            return loadInto(path, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads an SAE and checks on load that it reconstructs {@code sample} (rows {@code [n, d_in]} of the activations
     * it will encode, n at least 2): when {@link ReconstructionCheck#verdict()} fails, its message, which names the
     * likely causes, goes to {@code warn}. The SAE lives on the sample's device.
     *
     * @throws IllegalArgumentException if the sample is not {@code [n, d_in]}
     */
    public static SparseAutoencoder loadChecked(Path path, NDArray sample, Consumer<String> warn) {
        Objects.requireNonNull(warn, "warn");
        SparseAutoencoder sae = load(path, sample.getManager());
        try {
            ReconstructionCheck.Verdict verdict = ReconstructionCheck.measure(sae, sample).verdict();
            if (!verdict.passed()) {
                String hook = sae.metadata().hookName();
                warn.accept(path + ": " + verdict.message() + (hook.isEmpty() ? "" : " This SAE reads " + hook
                        + (sae.metadata().modelName().isEmpty() ? "" : " of " + sae.metadata().modelName()) + "."));
            }
            return sae;
        } catch (RuntimeException e) {
            sae.close();
            throw e;
        }
    }

    private static SparseAutoencoder loadInto(Path path, NDManager manager) {
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".npz")) {
            return gemmaScope(path, manager);
        }
        if (Files.isRegularFile(path) && (path.getFileName().toString().equals(CONFIG_FILE)
                || path.getFileName().toString().equals(WEIGHTS_FILE))) {
            path = path.toAbsolutePath().getParent();   // a file of a SAELens folder stands for the folder
        }
        if (!Files.isDirectory(path)) {
            throw new SaeFormatException(path, Files.exists(path)
                    ? "not an SAE: give a SAELens folder (cfg.json + " + WEIGHTS_FILE + "), a folder holding a Gemma"
                            + " Scope " + GEMMA_SCOPE_FILE + ", or the .npz file itself"
                    : "no such file or folder");
        }
        Path config = path.resolve(CONFIG_FILE);
        if (Files.exists(config)) {
            return saeLens(path, config, manager);
        }
        Path npz = path.resolve(GEMMA_SCOPE_FILE);
        if (Files.exists(npz)) {
            return gemmaScope(npz, manager);
        }
        throw new SaeFormatException(path, "not an SAE folder: it holds neither " + CONFIG_FILE + " and " + WEIGHTS_FILE
                + " (SAELens) nor " + GEMMA_SCOPE_FILE + " (Gemma Scope)");
    }

    private static SparseAutoencoder saeLens(Path folder, Path configFile, NDManager manager) {
        SaeLensConfig cfg = SaeLensConfig.read(configFile);
        Path weights = folder.resolve(WEIGHTS_FILE);
        if (!Files.exists(weights)) {
            throw new SaeFormatException(weights, "no such file; a SAELens folder holds its weights beside "
                    + CONFIG_FILE);
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (TensorInfo info : file.infos()) {
                shapes.put(info.name(), info.shape());
            }
            String origin = CONFIG_FILE + " gives d_in " + cfg.dIn() + " and d_sae " + cfg.dSae();
            Weights w = Weights.check(weights, shapes, cfg.architecture(), cfg.dIn(), cfg.dSae(), origin);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (String name : shapes.keySet()) {
                TensorInfo info = file.info(name);
                Float32Tensors.Encoding encoding = switch (info.dtype()) {
                    case F32 -> Float32Tensors.Encoding.F32;
                    case F16 -> Float32Tensors.Encoding.F16;
                    case BF16 -> Float32Tensors.Encoding.BF16;
                    case F64 -> Float32Tensors.Encoding.F64;
                    default -> throw new SaeFormatException(weights, "tensor " + name + " is " + info.dtype()
                            + "; SAE weights must be floating point (F32, F16, BF16 or F64)");
                };
                arrays.put(name, Float32Tensors.toNDArray(file.segment(name), encoding, info.shape(), manager));
            }
            return w.build(arrays, cfg, manager);
        }
    }

    private static SparseAutoencoder gemmaScope(Path npz, NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, NpyArray> raw = new LinkedHashMap<>();
        try (NpzReader reader = NpzReader.open(npz)) {
            for (String stored : reader.names()) {
                // Some conversions of Gemma Scope spell the matrices w_enc / w_dec, as SAELens's own loader allows.
                String name = stored.startsWith("w_") ? "W_" + stored.substring(2) : stored;
                NpyArray a = reader.read(stored);
                if (!a.dtype().isFloatingPoint()) {
                    throw new SaeFormatException(npz, "array " + stored + " is " + a.dtype().descr()
                            + "; SAE weights must be floating point");
                }
                raw.put(name, a);
                shapes.put(name, a.shape());
            }
        }
        NpyArray wEnc = raw.get("W_enc");
        if (wEnc == null || wEnc.rank() != 2) {
            throw new SaeFormatException(npz, wEnc == null
                    ? "no array W_enc (the archive holds " + List.copyOf(raw.keySet()) + "); a Gemma Scope"
                            + " params.npz holds W_enc, W_dec, b_enc, b_dec and threshold"
                    : "array W_enc has shape " + Arrays.toString(wEnc.shape()) + "; it must be [d_model, d_sae]");
        }
        int dIn = Math.toIntExact(wEnc.dim(0));
        int dSae = Math.toIntExact(wEnc.dim(1));
        String origin = "W_enc " + Arrays.toString(wEnc.shape()) + " makes d_in " + dIn + " and d_sae " + dSae;
        Weights w = Weights.check(npz, shapes, SaeArchitecture.JUMPRELU, dIn, dSae, origin);
        for (Map.Entry<String, NpyArray> e : raw.entrySet()) {
            NpyArray a = e.getValue();
            Float32Tensors.Encoding encoding = switch (a.dtype()) {
                case FLOAT16 -> Float32Tensors.Encoding.F16;
                case FLOAT64 -> Float32Tensors.Encoding.F64;
                default -> Float32Tensors.Encoding.F32;
            };
            arrays.put(e.getKey(), Float32Tensors.toNDArray(a.data(), encoding, a.shape(), manager));
        }
        SaeLensConfig cfg = new SaeLensConfig(SaeArchitecture.JUMPRELU, dIn, dSae, 0, false, false,
                GemmaScopePath.metadata(npz), null, "float32");
        return w.build(arrays, cfg, manager);
    }

    /** The tensor names and shapes of one SAE file, checked against what its architecture needs. */
    private record Weights(Path file) {

        static Weights check(Path file, Map<String, long[]> shapes, SaeArchitecture architecture, int dIn, int dSae,
                             String origin) {
            Map<String, long[]> expected = new LinkedHashMap<>();
            expected.put("W_enc", new long[] {dIn, dSae});
            expected.put("W_dec", new long[] {dSae, dIn});
            expected.put("b_enc", new long[] {dSae});
            expected.put("b_dec", new long[] {dIn});
            if (architecture == SaeArchitecture.JUMPRELU) {
                expected.put(shapes.containsKey("log_threshold") && !shapes.containsKey("threshold")
                        ? "log_threshold" : "threshold", new long[] {dSae});
            }
            String what = file.getFileName().toString().endsWith(".npz") ? "array" : "tensor";
            List<String> unexpected = new ArrayList<>();
            for (String name : shapes.keySet()) {
                if (!expected.containsKey(name) && !name.equals("scaling_factor")) {
                    unexpected.add(name);
                }
            }
            if (!unexpected.isEmpty()) {
                throw new SaeFormatException(file, "unexpected " + what + (unexpected.size() > 1 ? "s " : " ")
                        + unexpected + " for a " + architecture.saeLensName() + " SAE (it has " + expected.keySet()
                        + "); does the config name the wrong architecture?");
            }
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                long[] shape = shapes.get(e.getKey());
                if (shape == null) {
                    throw new SaeFormatException(file, "missing " + what + " " + e.getKey() + " [" + describe(e.getKey())
                            + "] needed by a " + architecture.saeLensName() + " SAE (the file holds "
                            + List.copyOf(shapes.keySet()) + ")");
                }
                if (!Arrays.equals(shape, e.getValue())) {
                    long[] reversed = e.getValue().clone();
                    if (reversed.length == 2) {
                        reversed = new long[] {reversed[1], reversed[0]};
                    }
                    throw new SaeFormatException(file, what + " " + e.getKey() + " has shape " + Arrays.toString(shape)
                            + ", but " + origin + ", so it should be " + Arrays.toString(e.getValue())
                            + (shape.length == 2 && Arrays.equals(shape, reversed) ? " (it looks transposed)" : ""));
                }
            }
            long[] scaling = shapes.get("scaling_factor");
            if (scaling != null && !Arrays.equals(scaling, new long[] {dSae})) {
                throw new SaeFormatException(file, what + " scaling_factor has shape " + Arrays.toString(scaling)
                        + ", but " + origin + ", so it should be [" + dSae + "]");
            }
            return new Weights(file);
        }

        private static String describe(String name) {
            return switch (name) {
                case "W_enc" -> "d_in, d_sae";
                case "W_dec" -> "d_sae, d_in";
                case "b_dec" -> "d_in";
                default -> "d_sae";
            };
        }

        /** Applies the stored-format conversions and builds the SAE; the arrays belong to {@code manager}. */
        SparseAutoencoder build(Map<String, NDArray> arrays, SaeLensConfig cfg, NDManager manager) {
            NDArray wEnc = arrays.get("W_enc");
            NDArray wDec = arrays.get("W_dec");
            NDArray bEnc = arrays.get("b_enc");
            NDArray threshold = arrays.get("threshold");
            if (threshold == null && arrays.containsKey("log_threshold")) {
                threshold = arrays.get("log_threshold").exp();   // older SAELens JumpReLU checkpoints
            }
            if (cfg.rescaleActsByDecoderNorm()) {
                // SAELens: pre' = pre * |W_dec_i|, x_hat = (f / |W_dec_i|) W_dec + b_dec. Folding the norms into
                // W_enc, b_enc and W_dec gives the same f and x_hat with the plain TopK forward.
                NDArray norms = wDec.norm(new int[] {1});
                NDArray safe = norms.add(norms.eq(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
                wEnc = wEnc.mul(norms);
                bEnc = bEnc.mul(norms);
                wDec = wDec.div(safe.reshape(-1, 1));
            }
            NDArray scaling = arrays.get("scaling_factor");
            if (scaling != null && !scaling.eq(1f).all().getBoolean()) {
                // SAELens before 6 decoded (f * scaling_factor) W_dec: the same as f (scaling_factor[:, None] * W_dec).
                wDec = wDec.mul(scaling.reshape(-1, 1));
            }
            SaeMetadata metadata = cfg.metadata();
            try {
                return new SparseAutoencoder(cfg.architecture(), cfg.k(), cfg.applyBDecToInput(), metadata, manager,
                        wEnc, wDec, bEnc, arrays.get("b_dec"), threshold);
            } catch (IllegalArgumentException e) {
                throw new SaeFormatException(file, e.getMessage(), e);
            }
        }
    }
}
