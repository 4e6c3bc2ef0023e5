package dev.scalpel.cli;

import dev.scalpel.core.hub.FileSelection;
import dev.scalpel.core.hub.HubClient;
import dev.scalpel.core.hub.HubSettings;
import dev.scalpel.core.hub.ModelRef;
import dev.scalpel.core.hub.ProgressPrinter;
import dev.scalpel.core.hub.PullResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalpel pull org/name[@revision] [--include GLOB ...] [--exclude GLOB ...] [--json]}. */
@Command(name = "pull", description = {
    "Download a model from the Hugging Face hub into the cache that Python's huggingface_hub uses",
    "(HF_HUB_CACHE, default ~/.cache/huggingface/hub), so each finds what the other downloaded.",
    "Then every command takes org/name[@revision] in place of a folder, with no network.",
    "By default only what loading needs is pulled: config, safetensors weights, tokenizer files.",
    "Patterns match the whole path, '*' included across '/', as huggingface_hub's allow_patterns.",
    "Pickles and other frameworks' weights (*.bin, *.pt, *.pth, *.ckpt, *.h5, *.msgpack, *.onnx) are pulled only",
    "when an --include names them (e.g. --include '*.onnx').",
    "Files already in the cache are not downloaded again; a broken-off download resumes where it stopped.",
    "Reads HF_ENDPOINT, HF_TOKEN (or the token file of huggingface-cli login), HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE.",
    "Prints the snapshot folder last; with --json the last line is",
    "{\"repo\", \"revision\", \"commit\", \"folder\", \"files\": [...]}."})
final class PullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "org/name or org/name@revision (branch, tag or commit)")
    String model;

    @Option(names = "--include", paramLabel = "GLOB", description = "pull the files matching GLOB (repeatable; "
            + "replaces the default selection)")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "leave out the files matching GLOB (repeatable)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--json", description = "end with one JSON line describing the snapshot")
    boolean json;

    private final HubSettings settings;

    /** The command as {@code scalpel} runs it: settings from the environment. */
    PullCommand() {
        this(null);
    }

    /** A command with given settings (tests); null reads them from the environment when it runs. */
    PullCommand(HubSettings settings) {
        this.settings = settings;
    }

    @Override
    public Integer call() {
        HubSettings hub = settings != null ? settings : HubSettings.fromSystem();
        ModelRef ref = ModelRef.parse(model);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PullResult r;
        try (HubClient client = new HubClient(hub, new ProgressPrinter(err, ProgressPrinter.DEFAULT_MINIMUM),
                HubClient.DEFAULT_ATTEMPTS)) {
            r = client.pull(ref, new FileSelection(include, exclude));
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("repo", r.repo());
            j.put("revision", r.revision());
            j.put("commit", r.commit());
            j.put("folder", r.folder().toString());
            j.put("files", r.files());
            out.println(Json.line(j));
            return 0;
        }
        out.printf("%s  commit %s%n", ref, r.commit());
        out.printf("%d files: %d downloaded (%s), %d already in the cache%s%n", r.files().size(), r.downloaded().size(),
                ProgressPrinter.formatBytes(r.bytesDownloaded()), r.files().size() - r.downloaded().size(),
                hub.offline() ? " (HF_HUB_OFFLINE: cache only)" : "");
        out.println(r.folder());
        return 0;
    }
}
