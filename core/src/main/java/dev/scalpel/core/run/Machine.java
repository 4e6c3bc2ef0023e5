package dev.scalpel.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine and software a benchmark or a run ran on, recorded beside every result (provenance, not key). */
public record Machine(String cpu, int logicalCores, long memoryMegabytes, String os, String javaVersion, String djl, String libtorch,
                      int torchThreads) {

    /** This machine, with libtorch's current intra-op thread count. */
    public static Machine describe() {
        // The thread count lives in libtorch, so the engine must be loaded before it can be read.
        ai.djl.engine.Engine.getInstance();
        return describe(ai.djl.pytorch.jni.JniUtils.getNumThreads());
    }

    public static Machine describe(int torchThreads) {
        return new Machine(readCpuModel(), java.lang.Runtime.getRuntime().availableProcessors(), readMemoryMb(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                ai.djl.engine.Engine.getDjlVersion(), ai.djl.engine.Engine.getInstance().getVersion(), torchThreads);
    }

    private static String readCpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long readMemoryMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }
}
