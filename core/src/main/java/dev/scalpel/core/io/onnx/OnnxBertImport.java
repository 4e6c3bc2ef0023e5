package dev.scalpel.core.io.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.HfConfig;
import dev.scalpel.core.model.ModelConfigs;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.RequiredParameters;
import dev.scalpel.core.model.TransformerModel;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds Scalpel's {@code BertModel} from a BERT encoder exported to ONNX by {@code torch.onnx}: the initializers are
 * streamed into float32 arrays, named and un-transposed by {@link BertGraphMapping}, and the model's config is either
 * derived from the graph ({@link BertDimensions}) or a published config checked against it.
 */
public final class OnnxBertImport {
    private OnnxBertImport() {
    }

    /**
     * The imported model with what the import found out; closing it closes the model.
     *
     * @param graph the graph's nodes and initializer list (without data)
     * @param dimensions what the graph shows of the model's sizes
     * @param mapping which initializer became which parameter
     */
    public record Result(TransformerModel model, OnnxGraph graph, BertDimensions dimensions, BertGraphMapping mapping)
            implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Imports {@code onnxFile}; its weights live in a manager of their own, closed with the model.
     *
     * @param config a transformers config.json to use (checked against the graph), or null to derive one
     */
    public static Result load(Path onnxFile, ObjectNode config) {
        return load(keep -> OnnxReader.read(onnxFile, keep), onnxFile.toString(), config);
    }

    /**
     * Imports a model from a stream (a class-path resource), which the caller closes.
     *
     * @param source names the stream in messages
     */
    public static Result load(InputStream in, String source, ObjectNode config) {
        return load(keep -> OnnxReader.read(in, source, keep), source, config);
    }

    private static Result load(Function<Consumer<OnnxTensor>, OnnxGraph> reader, String source, ObjectNode config) {
        Runtime.init();
        NDManager manager = NDManager.newBaseManager();
        Map<String, NDArray> stored = new HashMap<>();
        try {
            OnnxGraph graph = reader.apply(t -> keep(t, source, manager, stored));
            BertGraphMapping mapping = BertGraphMapping.of(graph);
            BertDimensions dims = BertDimensions.derive(graph, mapping);
            ObjectNode json = config != null ? config.deepCopy() : dims.toConfig();
            if (config != null) {
                dims.checkConfig(json, source);
            }
            Parameters params = new Parameters(manager);
            for (BertGraphMapping.Entry e : mapping.entries()) {
                NDArray a = stored.remove(e.initializer());
                NDArray value = e.transposed() ? transpose(a, manager) : a;
                checkShape(source, e, value, dims);
                params.put(e.parameter(), value, DType.F32);
            }
            // The config's file is never read: it stands inside the ONNX source so that messages point there, and so
            // that saving the model finds no tokenizer files next to it to copy by mistake.
            HfConfig hf = new HfConfig(configPath(source), json);
            TransformerModel model = Models.create(ModelConfigs.read(hf), params);
            RequiredParameters.check(model, source);
            return new Result(model, graph, dims, mapping);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Path configPath(String source) {
        try {
            return Path.of(source).resolve("config.json");
        } catch (InvalidPathException e) {
            return Path.of("config.json");
        }
    }

    /** Copies one initializer out of the reader's memory into a float32 array; checks the position_ids buffer. */
    private static void keep(OnnxTensor t, String source, NDManager manager, Map<String, NDArray> stored) {
        if (t.name().endsWith("embeddings.position_ids")) {
            long[] positions = t.toLongs();
            for (int i = 0; i < positions.length; i++) {
                if (positions[i] != i) {
                    throw new OnnxFormatException(source, -1, "initializer " + t.name() + " should hold 0, 1, 2, ... "
                            + "(BertModel numbers positions by index) but holds " + positions[i] + " at " + i);
                }
            }
            return;
        }
        if (t.dtype() != DType.F32) {
            throw new OnnxFormatException(source, -1, "initializer '" + t.name() + "' is " + t.dtype()
                    + "; only float32 weights can be imported");
        }
        NDArray view = manager.create(t.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN), new Shape(t.dims()),
                DataType.FLOAT32);
        // The view borrows the reader's memory, which is reused after this call; the duplicate owns its own.
        NDArray owned = view.duplicate();
        view.close();
        stored.put(t.name(), owned);
    }

    /** [in, out] as the MatMul stores it, to PyTorch's Linear layout [out, in]. */
    private static NDArray transpose(NDArray a, NDManager manager) {
        long rows = a.getShape().get(0);
        long cols = a.getShape().get(1);
        float[] in = a.toFloatArray();
        float[] out = new float[in.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[(int) (j * rows + i)] = in[(int) (i * cols + j)];
            }
        }
        a.close();
        return manager.create(out, new Shape(cols, rows));
    }

    private static void checkShape(String source, BertGraphMapping.Entry e, NDArray value, BertDimensions dims) {
        long[] want = dims.expectedShape(e.parameter());
        long[] got = value.getShape().getShape();
        if (!Arrays.equals(want, got)) {
            throw new OnnxFormatException(source, -1, "initializer '" + e.initializer() + "' (" + e.parameter()
                    + (e.transposed() ? ", transposed" : "") + ") has shape " + Arrays.toString(got) + " but a BERT with "
                    + "these dimensions needs " + Arrays.toString(want));
        }
    }
}
