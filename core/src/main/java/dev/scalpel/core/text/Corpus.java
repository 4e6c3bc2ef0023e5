package dev.scalpel.core.text;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.JsonLines;
import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.io.TextReaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Texts read from files, with one meaning wherever Scalpel reads a corpus, and the hash of exactly what was read.
 *
 * <ul>
 *   <li>A {@code .jsonl} or {@code .jsonl.gz} file holds one text per non-blank line: the string in the line's
 *       {@link Reading#field() field} (default {@code text}). A line that is not a JSON object, or lacks the field, or
 *       holds something other than a string there, is an error naming the file and the line.</li>
 *   <li>Any other file is UTF-8 text, split by the {@link Unit} the caller states: {@link Unit#LINES} (one text per
 *       line; blank lines skipped, or refused where text N must be line N; a leading byte-order mark dropped) or
 *       {@link Unit#DOCUMENTS} (the whole file is one text, exactly as stored).</li>
 *   <li>Gzip is decompressed wherever it occurs (recognized by its bytes); invalid UTF-8 is an error.</li>
 *   <li>A folder is read recursively, its {@code .txt}, {@code .jsonl} and {@code .jsonl.gz} files in sorted path
 *       order (other files are ignored), so the same folder always gives the same texts in the same order.</li>
 * </ul>
 *
 * <p>The {@link #hash()} is {@link Sha256#ofTexts} of the texts in order: what caches (C0) and resumable jobs
 * (harvests) are keyed by.
 *
 * @param name the file or folder name, for messages and provenance
 */
public record Corpus(String name, List<String> texts, String hash) {
    /** How a plain-text file divides into texts (JSON Lines always hold one text per line). */
    public enum Unit {
        /** One text per line of a text file (SAE training, embeddings). */
        LINES,
        /** One text per text file, its whole content (C0's documents, a tokenizer's training text). */
        DOCUMENTS
    }

    /**
     * What the caller means by its files.
     *
     * @param field the JSON field that holds the text in a JSON Lines file
     * @param refuseBlankLines a blank line (of a {@link Unit#LINES} text file or a JSON Lines file) is an error naming
     *     the file and line instead of being skipped, so that text N is line N
     */
    public record Reading(Unit unit, String field, boolean refuseBlankLines) {
        public Reading {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(field, "field");
        }

        /** One text per line, blank lines skipped, JSON field {@code text}. */
        public static Reading lines() {
            return new Reading(Unit.LINES, "text", false);
        }

        /** One text per text file, JSON field {@code text}. */
        public static Reading documents() {
            return new Reading(Unit.DOCUMENTS, "text", false);
        }

        public Reading withField(String jsonField) {
            return new Reading(unit, jsonField, refuseBlankLines);
        }

        public Reading refusingBlankLines() {
            return new Reading(unit, field, true);
        }
    }

    public Corpus {
        texts = List.copyOf(texts);
    }

    /** Texts already in memory, hashed as a read corpus is. */
    public static Corpus of(String name, List<String> texts) {
        return new Corpus(name, texts, Sha256.ofTexts(texts));
    }

    /** Reads a file or a folder of files as {@code reading} says; an empty result is an error. */
    public static Corpus read(Path fileOrFolder, Reading reading) {
        List<String> texts = new ArrayList<>();
        if (Files.isDirectory(fileOrFolder)) {
            List<Path> files = corpusFiles(fileOrFolder);
            if (files.isEmpty()) {
                throw new ScalpelException(fileOrFolder + ": no .txt, .jsonl or .jsonl.gz files in this folder");
            }
            for (Path f : files) {
                readFile(f, reading, texts);
            }
        } else {
            readFile(fileOrFolder, reading, texts);
        }
        if (texts.isEmpty()) {
            throw new ScalpelException(fileOrFolder + ": no texts (the file is empty, or every line is blank)");
        }
        Path name = fileOrFolder.toAbsolutePath().normalize().getFileName();
        return of(name == null ? fileOrFolder.toString() : name.toString(), texts);
    }

    /** Whether a file in a folder is part of the corpus. */
    public static boolean isCorpusFile(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".txt") || isJsonLines(file);
    }

    private static boolean isJsonLines(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".jsonl") || n.endsWith(".jsonl.gz");
    }

    private static List<Path> corpusFiles(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            // Path order, over the whole tree: the order C0's cache keys were computed in.
            return walk.filter(Files::isRegularFile).filter(Corpus::isCorpusFile).sorted().toList();
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static void readFile(Path file, Reading reading, List<String> into) {
        try (InputStream in = Files.newInputStream(file)) {
            if (isJsonLines(file)) {
                readJsonLines(file, in, reading, into);
            } else if (reading.unit() == Unit.DOCUMENTS) {
                into.add(document(in));
            } else {
                readLines(file, in, reading.refuseBlankLines(), into);
            }
        } catch (NoSuchFileException e) {
            throw new ScalpelException(file + ": no such file or folder");
        } catch (CharacterCodingException e) {
            throw new ScalpelException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The whole file, byte-order mark and line ends included: C0's documents were hashed that way. */
    private static String document(InputStream in) throws IOException {
        byte[] bytes = TextReaders.decompressed(in).readAllBytes();
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static void readLines(Path file, InputStream in, boolean refuseBlank, List<String> into) throws IOException {
        try (BufferedReader r = TextReaders.utf8(in)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (number == 1) {
                    line = TextReaders.withoutByteOrderMark(line);
                }
                if (line.isBlank()) {
                    if (refuseBlank) {
                        throw blankLine(file, number);
                    }
                    continue;
                }
                into.add(line);
            }
        }
    }

    private static void readJsonLines(Path file, InputStream in, Reading reading, List<String> into) {
        String source = file.toString();
        int[] previous = {0};
        JsonLines.forEach(source, in, (line, object) -> {
            // JsonLines skips blank lines; a gap in the numbers is one (trailing blank lines shift nothing).
            if (reading.refuseBlankLines() && line != previous[0] + 1) {
                throw blankLine(file, previous[0] + 1);
            }
            previous[0] = line;
            into.add(JsonLines.textField(source, line, object, reading.field()));
        });
    }

    private static ScalpelException blankLine(Path file, int line) {
        return new ScalpelException(file + ": line " + line + " is blank; give one text per line (blank lines are "
                + "refused so that text N stays line N)");
    }
}
