package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Checkpoint;
import dev.scalpel.core.io.CheckpointFormatException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads Hugging Face model folders (config.json + safetensors weights) into {@link TransformerModel}s. */
public final class Models {
    /** Tensors bigger than this are copied in row blocks: a Java buffer view cannot exceed 2 GB, even once widened. */
    private static final long MAX_BLOCK_BYTES = 256L << 20;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Models() {
    }

    /** Loads the model in {@code folder} onto the CPU with float32 compute. */
    public static TransformerModel load(Path folder) {
        return loadWith(folder, NDManager.newBaseManager());
    }

    /**
     * Loads the model in {@code folder}; its weights live in a sub-manager of {@code parent}. Nothing is kept on failure:
     * every error names the file and the problem, and the partly loaded weights are released.
     */
    public static TransformerModel load(Path folder, NDManager parent) {
        return loadWith(folder, parent.newSubManager());
    }

    /** Loads with {@code manager} as the weights' own manager: closing the model closes it. */
    private static TransformerModel loadWith(Path folder, NDManager manager) {
        if (!Files.isDirectory(folder)) {
            manager.close();
            throw new ScalpelException(folder + ": not a model folder (expected a directory with config.json and safetensors weights)");
        }
        ModelConfig config;
        try {
            config = ModelConfigs.read(HfConfig.read(folder.resolve("config.json")));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        Parameters params = new Parameters(manager);
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            QuantizedWeightReader quantized = quantizedReader(config, folder);
            if (quantized != null) {
                var modules = config.architecture().family().linearModules(config);
                // Held packed; dequantized (for editing, saving) they are float32, since scale x (code - zero) needs
                // more bits than float16 holds.
                quantized.read(folder, modules).forEach((name, value) -> params.putPacked(name, value, DType.F32));
            }
            for (String stored : checkpoint.names()) {
                String name = canonicalName(config.architecture(), stored);
                if (name == null || quantized != null && quantized.consumes(stored)) {
                    continue;
                }
                TensorInfo info = checkpoint.info(stored);
                params.put(name, toNDArray(checkpoint.segment(stored), info, manager, checkpoint.fileOf(stored)), info.dtype());
            }
            TransformerModel model = create(config, params);
            checkComplete(model, folder);
            return model;
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /** The reader of a quantized checkpoint's packed weights, or null when config.json declares no quantization. */
    private static QuantizedWeightReader quantizedReader(ModelConfig config, Path folder) {
        com.fasterxml.jackson.databind.JsonNode q = config.source().json().get("quantization_config");
        if (q == null) {
            return null;
        }
        for (QuantizedWeightReader reader : java.util.ServiceLoader.load(QuantizedWeightReader.class)) {
            if (reader.reads(q)) {
                return reader;
            }
        }
        throw new ScalpelException(folder.resolve("config.json") + ": quantization_config declares '"
                + q.path("quant_method").asText("?") + "' (checkpoint_format '" + q.path("checkpoint_format").asText("?")
                + "'), which no reader on the class path reads (scalpel-compress reads GPTQ)");
    }

    /**
     * A model with freshly initialized weights, as transformers initializes them: N(0, initializer_range) for
     * projections and embeddings (GPT-2's residual projections scaled by 1/sqrt(2 n_layer)), zeros for biases, ones
     * for norms. Deterministic for a seed, and independent of the tensor engine's random generator.
     *
     * @param configJson the contents of a config.json
     * @param storedAs the dtype the weights will be saved in
     */
    public static TransformerModel initialize(com.fasterxml.jackson.databind.node.ObjectNode configJson, long seed,
                                              DType storedAs, NDManager parent) {
        // No folder backs this config: the writer then has no tokenizer or generation files to copy along.
        HfConfig hf = new HfConfig(Path.of("<initialized>", "config.json"), configJson);
        ModelConfig config = ModelConfigs.read(hf);
        double std = hf.doubleOr("initializer_range", 0.02);
        NDManager manager = parent.newSubManager();
        Parameters params = new Parameters(manager);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (var e : ParameterLayout.of(config).entrySet()) {   // in layout order: the draws depend on it
            ParameterLayout.Entry p = e.getValue();
            Shape shape = new Shape(p.shape());
            NDArray value = switch (p.init()) {
                case ZEROS -> manager.zeros(shape);
                case ONES -> manager.ones(shape);
                case NORMAL -> {
                    float[] v = new float[Math.toIntExact(shape.size())];
                    double s = std * p.scale();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (random.nextGaussian() * s);
                    }
                    yield manager.create(v, shape);
                }
            };
            params.put(e.getKey(), value, storedAs);
        }
        return create(config, params);
    }

    /** Builds the model object of an architecture around parameters already in memory. */
    public static TransformerModel create(ModelConfig config, Parameters params) {
        return config.architecture().family().create(config, params);
    }

    private static void checkComplete(TransformerModel model, Path folder) {
        List<String> missing = new ArrayList<>();
        for (String name : model.requiredParameters()) {
            if (!model.parameters().contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointFormatException(folder, "the checkpoint lacks " + missing.size() + " parameter(s) that "
                    + model.architecture().modelType() + " needs, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
        ModelConfig c = model.config();
        String embed = c.architecture().family().tokenEmbedding();
        Shape shape = model.parameters().get(embed).getShape();
        if (!shape.equals(new Shape(c.vocabSize(), c.hiddenSize()))) {
            throw new CheckpointFormatException(folder, embed + " has shape " + shape + " but config.json says vocab_size "
                    + c.vocabSize() + " and hidden size " + c.hiddenSize());
        }
    }

    /** The name a stored tensor goes by in Scalpel, or null for buffers that are not parameters. */
    static String canonicalName(Architecture arch, String stored) {
        return arch.family().canonicalName(stored);
    }

    /** Copies a stored tensor into {@code manager}: floating types become float32, integer types keep their type. */
    static NDArray toNDArray(MemorySegment bytes, TensorInfo info, NDManager manager, Path file) {
        Shape shape = new Shape(info.shape());
        DataType stored = dataType(info.dtype());
        DataType target = stored.isFloating() ? DataType.FLOAT32 : stored;
        if (shape.size() == 0) {
            return manager.zeros(shape, target);
        }
        if (bytes.byteSize() <= MAX_BLOCK_BYTES || shape.dimension() == 0) {
            return copyBlock(bytes, shape, stored, target, manager);
        }
        long rows = shape.get(0);
        long rowBytes = bytes.byteSize() / rows;
        long rowsPerBlock = Math.max(1, MAX_BLOCK_BYTES / rowBytes);
        if (rowBytes > MAX_BLOCK_BYTES) {
            throw new CheckpointFormatException(file, "tensor " + info.name() + " has rows of " + rowBytes
                    + " bytes; rows over 256 MiB are not supported");
        }
        NDArray out = manager.zeros(shape, target);
        for (long r = 0; r < rows; r += rowsPerBlock) {
            long n = Math.min(rowsPerBlock, rows - r);
            long[] blockShape = shape.getShape().clone();
            blockShape[0] = n;
            try (NDManager tmp = manager.newSubManager()) {
                NDArray block = copyBlock(bytes.asSlice(r * rowBytes, n * rowBytes), new Shape(blockShape), stored, target, tmp);
                out.set(new ai.djl.ndarray.index.NDIndex("{}:{}", r, r + n), block);
            }
        }
        return out;
    }

    private static NDArray copyBlock(MemorySegment bytes, Shape shape, DataType stored, DataType target, NDManager manager) {
        if (stored == DataType.BFLOAT16 || stored == DataType.FLOAT16) {
            return widenHalf(bytes, shape, stored == DataType.BFLOAT16, manager);
        }
        // A direct buffer over the mapped file: from_blob views it, toType/duplicate copies it into torch's memory.
        ByteBuffer view = bytes.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        NDArray mapped = manager.create(view, shape, stored);
        NDArray owned = stored == target ? mapped.duplicate() : mapped.toType(target, true);
        mapped.close();
        return owned;
    }

    // Widening 16-bit floats is exact; it is done here because libtorch's from_blob aborts on DJL's half types.
    private static NDArray widenHalf(MemorySegment bytes, Shape shape, boolean bfloat, NDManager manager) {
        long n = shape.size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(n * Float.BYTES, 64);
            for (long i = 0; i < n; i++) {
                short bits = bytes.get(HALF, i * 2);
                float value = bfloat ? Float.intBitsToFloat((bits & 0xFFFF) << 16) : Float.float16ToFloat(bits);
                out.set(FLOAT, i * Float.BYTES, value);
            }
            NDArray view = manager.create(out.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN), shape, DataType.FLOAT32);
            NDArray owned = view.duplicate();
            view.close();
            return owned;
        }
    }

    static DataType dataType(DType d) {
        return switch (d) {
            case F64 -> DataType.FLOAT64;
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case BF16 -> DataType.BFLOAT16;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I16 -> DataType.INT16;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }
}
