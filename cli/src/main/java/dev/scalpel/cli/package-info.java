/**
 * The {@code scalpel} command (picocli): each command parses its arguments, opens models through
 * {@link dev.scalpel.cli.ModelArgument} (a folder, a hub id, {@code minilm} or a lab model's name), calls a method module
 * and prints a short summary. {@code --json} ends the output with one JSON line; the commands that produce results
 * share {@link dev.scalpel.cli.ResultOptions}, whose {@code --report DIR} writes the report their module builds
 * (report.html, report.json, results.json). {@link dev.scalpel.cli.Main} maps Scalpel's typed errors to exit code 2
 * with one readable line.
 */
package dev.scalpel.cli;
