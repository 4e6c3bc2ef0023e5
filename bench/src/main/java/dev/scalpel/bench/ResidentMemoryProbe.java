package dev.scalpel.bench;

import ai.djl.ndarray.NDManager;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Peak resident memory of one model loaded and decoding, measured in a process of its own: a benchmark JVM that has
 * loaded other models cannot say what one of them costs. {@link #measure} starts this class's {@code main} with the
 * benchmark's own Java and class path; the child loads the model, decodes, and prints its peak resident set (VmHWM).
 */
final class ResidentMemoryProbe {
    private static final String PREFIX = "peak-rss-kib ";

    private ResidentMemoryProbe() {
    }

    /** {@code main(engine, folder, jlamaWorkingType, vocab)}; engine is scalpel or jlama. */
    public static void main(String[] args) throws IOException {
        String engine = args[0];
        Path folder = Path.of(args[1]);
        long[] prompt = GenerationBench.randomIds(GenerationBench.PROMPT, Integer.parseInt(args[3]), 1);
        if (engine.equals("scalpel")) {
            try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(folder, nd)) {
                GenerationBench.scalpelDecode(new Generator(model, null, 0), prompt);
            }
        } else {
            try (AbstractModel jlama = ModelSupport.loadModel(folder.toFile(), DType.F32, DType.valueOf(args[2]))) {
                GenerationBench.jlamaDecode(jlama, prompt);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println(PREFIX + line.replaceAll("\\D", ""));
            }
        }
    }

    /** The child's peak resident set in MiB, as a measurement of {@code engine weights} on {@code name}. */
    static Measurement measure(String name, String engine, String weights, Path folder, String jlamaWorking, int vocab) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("--enable-") || a.startsWith("-Xmx")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ResidentMemoryProbe.class.getName(), engine,
                folder.toString(), jlamaWorking, Integer.toString(vocab)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            String line = out.lines().filter(l -> l.startsWith(PREFIX)).findFirst().orElseThrow(() ->
                    new IllegalStateException("the memory probe of " + folder + " exited " + code + " without a result:\n"
                            + out.substring(Math.max(0, out.length() - 2000))));
            double mib = Long.parseLong(line.substring(PREFIX.length()).trim()) / 1024.0;
            return new Measurement("peak-rss." + name, engine + " " + weights, mib, "MiB", new double[] {mib},
                    Map.of("process", "a fresh JVM that loads the model and greedily decodes " + GenerationBench.NEW_TOKENS
                            + " tokens", "source", "VmHWM of /proc/self/status"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the memory probe of " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + folder, e);
        }
    }
}
