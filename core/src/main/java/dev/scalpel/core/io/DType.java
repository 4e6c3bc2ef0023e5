package dev.scalpel.core.io;

/**
 * The element types Scalpel reads and writes in safetensors files. Constant names are exactly the
 * dtype strings of the safetensors header, so {@link #name()} is the on-disk spelling.
 */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether the elements are floating-point numbers (as opposed to integers or booleans). */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The torch spelling a config.json's {@code torch_dtype} uses ("bfloat16", "float32"). */
    public String torchName() {
        return switch (this) {
            case F64 -> "float64";
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case I64 -> "int64";
            case I32 -> "int32";
            case I16 -> "int16";
            case I8 -> "int8";
            case U8 -> "uint8";
            case BOOL -> "bool";
        };
    }

    /**
     * The dtype spelled {@code name} in a safetensors header. Matching is exact (the format is
     * case-sensitive), so {@code "f32"} is refused rather than guessed.
     *
     * @throws IllegalArgumentException if the name is not one of the supported dtypes
     */
    public static DType fromName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unsupported dtype '" + name + "'");
    }
}
