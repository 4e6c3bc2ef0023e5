package dev.scalpel.cli;

import picocli.CommandLine.Command;

/** {@code scalpel sae ...}: sparse autoencoders (encode with a SAELens or Gemma Scope SAE; train one). */
@Command(name = "sae", description = "Sparse autoencoders: train one on a model's hook point; encode activations with a SAELens or Gemma Scope SAE.",
        subcommands = {SaeTrainCommand.class, SaeEncodeCommand.class})
final class SaeCommand {
}
