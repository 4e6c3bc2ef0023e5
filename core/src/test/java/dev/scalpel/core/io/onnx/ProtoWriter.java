package dev.scalpel.core.io.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire format by hand, to build small ONNX files (valid and broken) for the reader's tests. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        key(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoWriter fixed32(int field, float value) {
        key(field, 5);
        writeLittleEndian(Float.floatToIntBits(value), 4);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        key(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter value) {
        return bytes(field, value.toByteArray());
    }

    ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter run = new ProtoWriter();
        for (long v : values) {
            run.rawVarint(v);
        }
        return bytes(field, run.toByteArray());
    }

    ProtoWriter packedFloats(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return bytes(field, b.array());
    }

    /** Bytes exactly as given, for corrupt input. */
    ProtoWriter raw(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    ProtoWriter key(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
        return this;
    }

    ProtoWriter rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    private void writeLittleEndian(long bits, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (bits >>> (8 * i)) & 0xFF);
        }
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    static byte[] floatsLittleEndian(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
