package dev.scalpel.compress.gptq;

/**
 * Chooses how packed weights multiply a vector: with the JDK's vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the launcher and the build do), otherwise not at all, and
 * {@link PackedGptqLinear} then dequantizes for libtorch. The vector classes are touched only when the module is there.
 */
final class MatVecKernel {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final int FALLBACK_LANES = 8;

    private MatVecKernel() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /** Outputs per tile: the preferred vector's float lanes. */
    static int lanes() {
        return AVAILABLE ? VectorMatVec.lanes() : FALLBACK_LANES;
    }

    /** {@code y[tiles from, to)} = the packed weight times the group-sorted input {@code slots}. */
    static void multiply(PackedGptqLinear w, int fromTile, int toTile, float[] slots, float[] groupSums, float[] y) {
        VectorMatVec.multiply(w, fromTile, toTile, slots, groupSums, y);
    }

    /** Output tiles {@code [from, to)} of the dense weight as [in, out]. */
    static void dequantizeInByOut(PackedGptqLinear w, int fromTile, int toTile, float[] dense) {
        VectorMatVec.dequantizeInByOut(w, fromTile, toTile, dense);
    }
}
