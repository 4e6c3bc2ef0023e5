package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The conventions a reader relies on, read from the sources of every module: each package says what it is in a
 * package-info, no two classes share a simple name, and the code has one spelling (American). String literals and
 * text blocks are exempt: some are file-format keys or hash salts that keep their first spelling on purpose.
 */
class SourceConventionsTest {
    private static final List<String> MODULES = List.of("core", "edit", "interpret", "compress", "lab", "bench", "cli");
    /** British stems, case-sensitive after the first letter so that {@code tokenIsRefused} is not "tokenis". */
    private static final Pattern BRITISH = Pattern.compile("[Oo]ptimis|[Nn]ormalis|[Ii]nitialis|[Bb]inaris|[Tt]okenis"
            + "|[Ss]erialis|[Rr]egularis|[Mm]inimis|[Uu]tilis|[Cc]apitalis|[Rr]ecognis|[Nn]eighbour|[Ll]abelled|[Ll]abelling"
            + "|[Ll]icence|[Bb]ehaviour|[Cc]entred|\\b[Cc]entre|[Mm]odelling|[Cc]olour|[Ff]avour|[Hh]onour"
            + "|[Aa]nalys(e|ed|es|ing)\\b");

    @Test
    void everyPackageHasAPackageInfo() {
        List<String> missing = new ArrayList<>();
        for (Path folder : mainFolders()) {
            try (Stream<Path> files = Files.list(folder)) {
                boolean hasClasses = files.anyMatch(f -> f.toString().endsWith(".java"));
                if (hasClasses && !Files.exists(folder.resolve("package-info.java"))) {
                    missing.add(root().relativize(folder).toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void noTwoClassesShareASimpleName() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Path file : javaFiles("src/main/java")) {
            String name = file.getFileName().toString();
            if (!name.equals("package-info.java")) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(root().relativize(file).toString());
            }
        }
        assertTrue(byName.size() > 300, "read the classes of every module, got " + byName.size());
        byName.values().removeIf(paths -> paths.size() == 1);
        assertEquals(Map.of(), byName);
    }

    @Test
    void theCodeHasOneSpelling() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> files = new ArrayList<>(javaFiles("src/main/java"));
        files.addAll(javaFiles("src/test/java"));
        for (Path file : files) {
            if (file.getFileName().toString().equals("SourceConventionsTest.java")) {
                continue;
            }
            offenders.addAll(britishSpellings(root().relativize(file).toString(), Files.readString(file)));
        }
        assertEquals(List.of(), offenders, "American spelling, please");
    }

    @Test
    void theSpellingScanSeesCodeAndCommentsButNotLiterals() {
        String source = """
                /** Normalises the rows. */
                double[] normalise(double[] x) { return x; }
                String key = "binarise";
                String block = \"""
                    the neighbourhood
                    \""";
                """;
        assertEquals(List.of("Example.java:1: Normalis", "Example.java:2: normalis"),
                britishSpellings("Example.java", source));
    }

    /** file:line: word for each British spelling outside string literals and text blocks. */
    private static List<String> britishSpellings(String name, String source) {
        List<String> found = new ArrayList<>();
        String[] lines = withoutLiterals(source).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = BRITISH.matcher(lines[i]);
            while (m.find()) {
                found.add(name + ":" + (i + 1) + ": " + m.group());
            }
        }
        return found;
    }

    /** The source with the contents of string literals, char literals and text blocks blanked, lines kept. */
    private static String withoutLiterals(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
                source.substring(i, end).chars().filter(c -> c == '\n').forEach(c -> out.append('\n'));
                out.append("\"\"");
                i = end;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != quote && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(quote).append(quote);
                i = Math.min(j + 1, source.length());
            } else {
                out.append(source.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private static Path root() {
        // Surefire runs in the module's folder; the project root holds every module.
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("core")) ? here : here.getParent();
    }

    private static List<Path> javaFiles(String sourceRoot) {
        List<Path> files = new ArrayList<>();
        for (String module : MODULES) {
            Path folder = root().resolve(module).resolve(sourceRoot);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static List<Path> mainFolders() {
        return javaFiles("src/main/java").stream().map(Path::getParent).distinct().toList();
    }
}
