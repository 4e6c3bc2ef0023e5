package dev.scalpel.cli;

import dev.scalpel.core.hparams.HyperparameterOverride;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --hparams NAME|FILE} and {@code --hparam KEY=VALUE}, the same on every command whose method has a
 * hyperparameter file (see {@link dev.scalpel.core.hparams.HyperparameterFiles}).
 */
final class HyperparameterOptions {
    @Option(names = "--hparams", paramLabel = "NAME|FILE",
            description = "the hyperparameter file: a name Scalpel ships (hparams/METHOD/NAME.json) or a JSON file"
                    + " (default: the one for the model)")
    String file;

    @Option(names = "--hparam", paramLabel = "KEY=VALUE",
            description = "override one hyperparameter, e.g. value.steps=30 or layers=[1,2] (repeatable)")
    List<String> overrides = new ArrayList<>();

    List<HyperparameterOverride> parsed() {
        return overrides.stream().map(HyperparameterOverride::parse).toList();
    }
}
