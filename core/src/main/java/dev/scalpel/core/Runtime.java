package dev.scalpel.core;

/**
 * Process-wide settings applied before the engine or tokenizers load: Scalpel never lets DJL reach the network (its
 * native libraries come from the jars on the class path, and usage reporting is off).
 */
public final class Runtime {
    private static volatile boolean initialized;

    private Runtime() {
    }

    /** Applies the settings once; cheap to call from every entry point. */
    public static void init() {
        if (initialized) {
            return;
        }
        synchronized (Runtime.class) {
            if (!initialized) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                initialized = true;
            }
        }
    }
}
