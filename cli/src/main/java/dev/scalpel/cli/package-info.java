/**
 * The {@code scalpel} command (picocli): each command parses its arguments, opens models through
 * {@link dev.scalpel.cli.ModelArgument} (a folder, a hub id, {@code minilm} or a lab model's name), calls a method module
 * and prints a short summary; {@code --json} ends with one JSON line and {@code --report DIR} writes report.html and
 * results.json. {@link dev.scalpel.cli.Main} maps Scalpel's typed errors to exit code 2 with one readable line.
 */
package dev.scalpel.cli;
