package dev.scalpel.core.io.onnx;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads an ONNX model ({@code ModelProto}, onnx.proto) by hand from the protobuf wire format, in one pass over a
 * stream: the graph's nodes and the names, types and shapes of its initializers are kept, and each initializer's data
 * is handed to a consumer as soon as it has been read, so that a 90 MB model never sits in memory twice. Everything
 * else in the file (doc strings, value infos, opset imports, metadata) is skipped.
 *
 * <p>Field numbers used (onnx.proto): ModelProto {1 ir_version, 2 producer_name, 3 producer_version, 7 graph};
 * GraphProto {1 node, 5 initializer, 11 input, 12 output, 15 sparse_initializer}; NodeProto {1 input, 2 output,
 * 3 name, 4 op_type, 5 attribute, 7 domain}; AttributeProto {1 name, 2 f, 3 i, 5 t}; ValueInfoProto {1 name};
 * TensorProto {1 dims, 2 data_type, 3 segment, 4 float_data, 5 int32_data, 7 int64_data, 8 name, 9 raw_data,
 * 10 double_data, 13 external_data, 14 data_location}.
 *
 * <p>Not supported, each with an error naming the tensor: data stored outside the file (external data), segmented
 * tensors, sparse initializers, and element types Scalpel has no dtype for (strings, complex, unsigned 16/32/64 bit,
 * 8-bit floats).
 */
public final class OnnxReader {
    private static final String[] TYPE_NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
        "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};

    private OnnxReader() {
    }

    /**
     * Reads the model in {@code file}, handing each initializer to {@code initializers} in file order. The tensor's
     * data is valid only during that call.
     *
     * @throws OnnxFormatException naming the file and the byte offset if the file is truncated, malformed or uses an
     *     unsupported feature
     */
    public static OnnxGraph read(Path file, Consumer<OnnxTensor> initializers) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(new WireInput(in, file.toString(), Files.size(file)), initializers);
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(file.toString(), -1, "no such file", e);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model from a stream (a class-path resource, say), which the caller closes.
     *
     * @param source names the stream in error messages
     */
    public static OnnxGraph read(InputStream in, String source, Consumer<OnnxTensor> initializers) {
        return read(new WireInput(in, source, Long.MAX_VALUE), initializers);
    }

    private static OnnxGraph read(WireInput in, Consumer<OnnxTensor> initializers) {
        long end = in.size();
        in.enter("model");
        long irVersion = -1;
        String producerName = "";
        String producerVersion = "";
        Parts graph = null;
        while (in.offset() < end && !in.atEndOfStream()) {
            int key = in.readKey();
            switch (WireInput.fieldNumber(key)) {
                case 1 -> {
                    in.expectWireType(key, WireInput.VARINT, "ir_version");
                    irVersion = in.readVarint();
                }
                case 2 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "producer_name");
                    producerName = in.readString(end);
                }
                case 3 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "producer_version");
                    producerVersion = in.readString(end);
                }
                case 7 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "graph");
                    if (graph != null) {
                        throw in.error("the model holds a second graph");
                    }
                    long length = in.readLength(end);
                    graph = readGraph(in, in.offset() + length, initializers);
                }
                default -> in.skipField(key, end);
            }
        }
        if (graph == null) {
            throw new OnnxFormatException(in.source(), -1, "holds no graph (is it an ONNX model?)");
        }
        in.leave();
        return new OnnxGraph(in.source(), irVersion, (producerName + " " + producerVersion).strip(), graph.nodes,
                graph.initializers, graph.inputs, graph.outputs);
    }

    private record Parts(List<OnnxNode> nodes, List<OnnxInitializer> initializers, List<String> inputs,
                         List<String> outputs) {
    }

    private static Parts readGraph(WireInput in, long end, Consumer<OnnxTensor> consumer) {
        in.enter("graph");
        Parts parts = new Parts(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Set<String> initializerNames = new HashSet<>();
        while (in.offset() < end) {
            int key = in.readKey();
            int field = WireInput.fieldNumber(key);
            switch (field) {
                case 1 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "node");
                    long length = in.readLength(end);
                    parts.nodes.add(readNode(in, in.offset() + length, parts.nodes.size()));
                }
                case 5 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "initializer");
                    long length = in.readLength(end);
                    long start = in.offset();
                    // The data lives in this arena only while the consumer copies it where it belongs.
                    try (Arena arena = Arena.ofConfined()) {
                        OnnxTensor t = readTensor(in, start + length, "initializer " + parts.initializers.size(), arena);
                        if (!initializerNames.add(t.name())) {
                            throw in.error("a second initializer is named '" + t.name() + "'", start);
                        }
                        consumer.accept(t);
                        parts.initializers.add(t.info());
                    }
                }
                case 11, 12 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, field == 11 ? "input" : "output");
                    long length = in.readLength(end);
                    (field == 11 ? parts.inputs : parts.outputs).add(readValueName(in, in.offset() + length));
                }
                case 15 -> throw in.error("sparse initializers are not supported");
                default -> in.skipField(key, end);
            }
        }
        in.checkEnd(end);
        in.leave();
        return parts;
    }

    private static String readValueName(WireInput in, long end) {
        String name = "";
        while (in.offset() < end) {
            int key = in.readKey();
            if (WireInput.fieldNumber(key) == 1) {
                in.expectWireType(key, WireInput.LENGTH_DELIMITED, "name");
                name = in.readString(end);
            } else {
                in.skipField(key, end);
            }
        }
        in.checkEnd(end);
        return name;
    }

    private static OnnxNode readNode(WireInput in, long end, int index) {
        in.enter("node " + index);
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxNode.Attribute> attributes = new HashMap<>();
        while (in.offset() < end) {
            int key = in.readKey();
            switch (WireInput.fieldNumber(key)) {
                case 1 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "input");
                    inputs.add(in.readString(end));
                }
                case 2 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "output");
                    outputs.add(in.readString(end));
                }
                case 3 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "name");
                    name = in.readString(end);
                    in.describe("node " + index + " '" + name + "'");
                }
                case 4 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "op_type");
                    opType = in.readString(end);
                }
                case 5 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "attribute");
                    long length = in.readLength(end);
                    OnnxNode.Attribute a = readAttribute(in, in.offset() + length);
                    if (a != null) {
                        attributes.put(a.name(), a);
                    }
                }
                case 7 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "domain");
                    domain = in.readString(end);
                }
                default -> in.skipField(key, end);
            }
        }
        in.checkEnd(end);
        in.leave();
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }

    /** The attribute if it holds a float, an integer or a tensor; null for the kinds this reader skips. */
    private static OnnxNode.Attribute readAttribute(WireInput in, long end) {
        in.enter("attribute");
        String name = "";
        Float f = null;
        Long i = null;
        OnnxTensor t = null;
        while (in.offset() < end) {
            int key = in.readKey();
            switch (WireInput.fieldNumber(key)) {
                case 1 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "name");
                    name = in.readString(end);
                    in.describe("attribute '" + name + "'");
                }
                case 2 -> {
                    in.expectWireType(key, WireInput.FIXED32, "f");
                    f = Float.intBitsToFloat(in.readFixed32());
                }
                case 3 -> {
                    in.expectWireType(key, WireInput.VARINT, "i");
                    i = in.readVarint();
                }
                case 5 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "t");
                    long length = in.readLength(end);
                    t = readTensor(in, in.offset() + length, "tensor", null);
                }
                default -> in.skipField(key, end);
            }
        }
        in.checkEnd(end);
        in.leave();
        return f == null && i == null && t == null ? null : new OnnxNode.Attribute(name, f, i, t);
    }

    /**
     * Reads a TensorProto. Raw data goes into {@code arena} when one is given (initializers, copied away by the
     * consumer), onto the heap otherwise (small constants that the graph keeps).
     */
    private static OnnxTensor readTensor(WireInput in, long end, String role, Arena arena) {
        in.enter(role);
        long start = in.offset();
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        MemorySegment raw = null;
        TypedValues typed = new TypedValues();
        boolean external = false;
        while (in.offset() < end) {
            int key = in.readKey();
            int field = WireInput.fieldNumber(key);
            switch (field) {
                case 1 -> readVarints(in, key, end, dims::add);
                case 2 -> {
                    in.expectWireType(key, WireInput.VARINT, "data_type");
                    dataType = (int) in.readVarint();
                }
                case 3 -> throw in.error("segmented tensors (TensorProto.segment) are not supported");
                case 4 -> typed.read(in, key, end, "float_data", WireInput.FIXED32);
                case 5 -> typed.read(in, key, end, "int32_data", WireInput.VARINT);
                case 7 -> typed.read(in, key, end, "int64_data", WireInput.VARINT);
                case 10 -> typed.read(in, key, end, "double_data", WireInput.FIXED64);
                case 8 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "name");
                    name = in.readString(end);
                    in.describe(role + " '" + name + "'");
                }
                case 9 -> {
                    in.expectWireType(key, WireInput.LENGTH_DELIMITED, "raw_data");
                    long length = in.readLength(end);
                    raw = arena != null ? arena.allocate(Math.max(1, length), 8).asSlice(0, length)
                            : MemorySegment.ofArray(new byte[Math.toIntExact(length)]);
                    in.readInto(raw, length);
                }
                case 13 -> {
                    external = true;
                    in.skipField(key, end);
                }
                case 14 -> {
                    in.expectWireType(key, WireInput.VARINT, "data_location");
                    external |= in.readVarint() == 1;
                }
                default -> in.skipField(key, end);
            }
        }
        in.checkEnd(end);
        if (external) {
            throw in.error("the tensor's data is stored in an external file, which this reader does not support; "
                    + "save the model with its tensors inside the .onnx file (onnx.save_model(model, path, "
                    + "save_as_external_data=False))", start);
        }
        DType dtype = dtypeOf(in, dataType, start);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count;
        try {
            for (long d : shape) {
                if (d < 0) {
                    throw in.error("negative dimension in shape " + java.util.Arrays.toString(shape), start);
                }
            }
            count = OnnxTensor.elementCount(shape);
            Math.multiplyExact(count, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw in.error("shape " + java.util.Arrays.toString(shape) + " is too large", start);
        }
        MemorySegment data;
        if (raw != null) {
            if (raw.byteSize() != count * dtype.byteSize()) {
                throw in.error("raw_data holds " + raw.byteSize() + " bytes but shape " + java.util.Arrays.toString(shape)
                        + " of " + TYPE_NAMES[dataType] + " needs " + count * dtype.byteSize(), start);
            }
            data = raw;
        } else if (typed.field != null) {
            data = typed.toBytes(in, dtype, TYPE_NAMES[dataType], count, start);
        } else if (count == 0) {
            data = MemorySegment.ofArray(new byte[0]);
        } else {
            throw in.error("the tensor has no data (neither raw_data nor a typed data field)", start);
        }
        in.leave();
        return new OnnxTensor(name, dtype, shape, data);
    }

    private static DType dtypeOf(WireInput in, int dataType, long at) {
        return switch (dataType) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> throw in.error("element type " + (dataType >= 0 && dataType < TYPE_NAMES.length
                    ? TYPE_NAMES[dataType] : "code " + dataType) + " is not supported", at);
        };
    }

    /** A repeated varint field, packed (one length-delimited run) or not (one value per field). */
    private static void readVarints(WireInput in, int key, long end, java.util.function.LongConsumer sink) {
        if (WireInput.wireType(key) == WireInput.VARINT) {
            sink.accept(in.readVarint());
            return;
        }
        in.expectWireType(key, WireInput.LENGTH_DELIMITED, "dims");
        long length = in.readLength(end);
        long runEnd = in.offset() + length;
        while (in.offset() < runEnd) {
            sink.accept(in.readVarint());
        }
        in.checkEnd(runEnd);
    }

    /** The values of one of TensorProto's typed data fields, kept as raw 64-bit patterns until the type is known. */
    private static final class TypedValues {
        private String field;
        private long[] values = new long[16];
        private int size;

        void read(WireInput in, int key, long end, String fieldName, int elementWire) {
            if (field != null && !field.equals(fieldName)) {
                throw in.error("the tensor has both " + field + " and " + fieldName);
            }
            field = fieldName;
            if (WireInput.wireType(key) == elementWire) {
                add(readOne(in, elementWire));
                return;
            }
            in.expectWireType(key, WireInput.LENGTH_DELIMITED, fieldName);
            long length = in.readLength(end);
            long runEnd = in.offset() + length;
            while (in.offset() < runEnd) {
                add(readOne(in, elementWire));
            }
            in.checkEnd(runEnd);
        }

        private static long readOne(WireInput in, int wire) {
            return switch (wire) {
                case WireInput.FIXED32 -> in.readFixed32();
                case WireInput.FIXED64 -> in.readFixed64();
                default -> in.readVarint();
            };
        }

        private void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        /** The values laid out as little-endian elements of {@code dtype}, checked against the field and count. */
        MemorySegment toBytes(WireInput in, DType dtype, String typeName, long count, long at) {
            boolean fits = switch (field) {
                case "float_data" -> dtype == DType.F32;
                case "double_data" -> dtype == DType.F64;
                case "int64_data" -> dtype == DType.I64;
                default -> dtype == DType.I32 || dtype == DType.I16 || dtype == DType.I8 || dtype == DType.U8
                        || dtype == DType.BOOL || dtype == DType.F16 || dtype == DType.BF16;
            };
            if (!fits) {
                throw in.error(field + " cannot hold " + typeName + " elements", at);
            }
            if (size != count) {
                throw in.error(field + " holds " + size + " values but the shape has " + count + " elements", at);
            }
            MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(count * dtype.byteSize())]);
            for (int k = 0; k < size; k++) {
                long v = values[k];
                long offset = (long) k * dtype.byteSize();
                switch (dtype.byteSize()) {
                    case 8 -> out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset, v);
                    case 4 -> out.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset, (int) v);
                    case 2 -> out.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset, (short) v);
                    default -> out.set(ValueLayout.JAVA_BYTE, offset, (byte) v);
                }
            }
            return out;
        }
    }
}
