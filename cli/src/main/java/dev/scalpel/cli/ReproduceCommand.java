package dev.scalpel.cli;

import picocli.CommandLine.Command;

/** {@code scalpel reproduce ...}: the long reproductions whose outputs are committed under docs/reproductions/. */
@Command(name = "reproduce", description = "Run a paper's reproduction end to end on the lab's models and write its report.",
        subcommands = {ReproduceEditing.class, ReproduceSaeProbing.class, ReproduceSaeTransfer.class, ReproduceContinuedPretraining.class,
            ReproduceQid.class, ReproduceMathNeuro.class})
final class ReproduceCommand {
}
