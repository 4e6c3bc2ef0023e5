package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationDefaults;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.text.Tokenizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel generate DIR (--ids "1,2,3" | --prompt "text") --max-new-tokens N [--greedy | --temperature T --top-k K
 * --top-p P --seed S] [--json]}.
 */
@Command(name = "generate", description = {
    "Continue a prompt with a causal language model (KV cache on).",
    "Without --greedy or sampling options the model's generation_config.json decides (greedy unless do_sample).",
    "Sampling uses temperature, then top-k, then top-p, as transformers does; unset top-k means 50 (transformers' default).",
    "With --json the last line printed is {\"ids\": [prompt ids then new ids], \"text\": \"decoded ids\"}."})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a model folder, org/name[@revision] from the Hugging Face cache, or a named model (minilm)")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--ids", paramLabel = "IDS", description = "the prompt as comma-separated token ids")
        String ids;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "the prompt as text")
        String prompt;
    }

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "the most tokens to add")
    int maxNewTokens;

    @Option(names = "--greedy", description = "argmax decoding (overrides the sampling options)")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "sample at this temperature")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "sample among the K most likely tokens (0 = all)")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "sample among the most likely tokens whose probability reaches P")
    Double topP;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the sampler (default 0: runs are reproducible)")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop once the new text contains TEXT (repeatable)")
    List<String> stops = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "do not stop at the model's EOS token(s)")
    boolean ignoreEos;

    @Option(names = "--no-cache", description = "recompute every position at every step (slower; same tokens)")
    boolean noCache;

    @Option(names = "--json", description = "end with one JSON line: {\"ids\": [...], \"text\": \"...\"}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (LoadedModel m = LoadedModel.open(ModelArgument.resolve(model))) {
            Tokenizer tok = m.tokenizer();
            long[] prompt = input.ids != null ? TokenIds.parse(input.ids) : m.requireTokenizer().encode(input.prompt);
            if (prompt.length == 0) {
                throw new ScalpelException("the prompt encodes to no tokens");
            }
            Sampling sampling = sampling(m.generation());
            Set<Long> eos = ignoreEos ? Set.of() : m.generation().stopTokenIds();
            GenerationRequest request = new GenerationRequest(List.of(prompt), maxNewTokens, sampling, eos, stops, !noCache);
            if (!json) {
                out.printf("%s, %s%n", m.folder(), describe(sampling));
                if (tok != null) {
                    out.print(tok.decode(prompt));
                    out.flush();
                }
            }
            List<Long> streamed = new ArrayList<>();
            StringBuilder printed = new StringBuilder();
            long start = System.nanoTime();
            Generation g = m.generator().generate(request, Hooks.none(), (step, tokens) -> {
                if (!json && tok != null && tokens[0] >= 0) {
                    streamed.add(tokens[0]);
                    // Print only complete characters: a token may end inside a multi-byte character.
                    String text = tok.decode(toArray(streamed));
                    if (!text.endsWith("\uFFFD") && text.startsWith(printed.toString())) {
                        out.print(text.substring(printed.length()));
                        out.flush();
                        printed.setLength(0);
                        printed.append(text);
                    }
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] ids = g.sequences().get(0);
            int newCount = g.newTokens().get(0).length;
            if (!json) {
                if (tok == null) {
                    out.println(java.util.Arrays.toString(ids));
                } else {
                    String text = tok.decode(g.newTokens().get(0));
                    out.println(text.startsWith(printed.toString()) ? text.substring(printed.length()) : "");
                }
                out.printf("(%d new tokens, stopped by %s, %.1f tokens/s)%n", newCount,
                        g.reasons().get(0).name().toLowerCase().replace('_', ' '), newCount / Math.max(seconds, 1e-9));
                return 0;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ids", ids);
            result.put("text", tok == null ? null : tok.decode(ids));
            out.println(Json.line(result));
            return 0;
        }
    }

    private Sampling sampling(GenerationDefaults defaults) {
        boolean anySamplingOption = temperature != null || topK != null || topP != null || seed != null;
        if (greedy || (!anySamplingOption && !defaults.doSample())) {
            return Sampling.greedyDecoding();
        }
        return Sampling.sample(temperature != null ? temperature : defaults.temperature(),
                topK != null ? topK : defaults.topK(), topP != null ? topP : defaults.topP(), seed != null ? seed : 0);
    }

    private static String describe(Sampling s) {
        return s.greedy() ? "greedy" : String.format("sampling: temperature %s, top-k %d, top-p %s, seed %d",
                s.temperature(), s.topK(), s.topP(), s.seed());
    }

    private static long[] toArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }
}
