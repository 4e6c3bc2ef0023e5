package dev.scalpel.core.hub;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which files of a repository to pull: those matching an include pattern and no exclude pattern.
 *
 * <p>Patterns are matched as huggingface_hub's allow_patterns / ignore_patterns are (Python's fnmatch on the whole
 * repository path): {@code *} matches any characters <em>including</em> '/', so {@code *.json} also selects
 * {@code sub/x.json}; {@code ?} matches one character; {@code [abc]} and {@code [!abc]} match sets; a pattern ending
 * in '/' selects everything under that folder; matching is case-sensitive.
 *
 * <p>Pickle checkpoints and other weights Scalpel does not read ({@link #NEVER_BY_DEFAULT}) are left out unless an
 * include pattern that matches the file names the suffix itself ({@code *.onnx}, {@code pytorch_model.bin}):
 * {@code --include '*'} gets every file but those.
 *
 * @param include patterns of files to pull; the defaults when built with an empty list
 * @param exclude patterns of files to leave out, applied after include
 */
public record FileSelection(List<String> include, List<String> exclude) {
    /** What a model needs to load and tokenize: config, safetensors weights (single or sharded), tokenizer files. */
    public static final List<String> DEFAULT_INCLUDE = List.of("config.json", "generation_config.json",
            "*.safetensors", "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model");

    /** Pickles (unsafe to load) and other frameworks' weights: large, and never read by Scalpel. */
    public static final List<String> NEVER_BY_DEFAULT = List.of(".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack",
            ".onnx");

    public FileSelection {
        include = List.copyOf(include.isEmpty() ? DEFAULT_INCLUDE : include);
        exclude = List.copyOf(exclude);
        for (String p : include) {
            checkPattern(p);
        }
        for (String p : exclude) {
            checkPattern(p);
        }
    }

    /** The default selection: what it takes to load the model. */
    public static FileSelection defaults() {
        return new FileSelection(List.of(), List.of());
    }

    /** Whether the file at this repository path is pulled. */
    public boolean selects(String repoPath) {
        String refusedSuffix = refusedSuffix(repoPath);
        boolean included = include.stream().anyMatch(p -> matches(p, repoPath)
                && (refusedSuffix == null || p.toLowerCase(Locale.ROOT).endsWith(refusedSuffix)));
        return included && exclude.stream().noneMatch(p -> matches(p, repoPath));
    }

    /** fnmatch: the whole path against the whole pattern. */
    static boolean matches(String pattern, String repoPath) {
        return toRegex(pattern).matcher(repoPath).matches();
    }

    private static String refusedSuffix(String repoPath) {
        String lower = repoPath.toLowerCase(Locale.ROOT);
        return NEVER_BY_DEFAULT.stream().filter(lower::endsWith).findFirst().orElse(null);
    }

    private static void checkPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new HubException(HubException.Reason.BAD_ARGUMENT, "empty file pattern; give a glob such as "
                    + "'*.safetensors' or 'config.json'");
        }
    }

    /** Python's fnmatch.translate, with huggingface_hub's rule that "dir/" means "dir/*". */
    private static Pattern toRegex(String glob) {
        String g = glob.endsWith("/") ? glob + "*" : glob;
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i++);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int j = i;
                    if (j < g.length() && g.charAt(j) == '!') {
                        j++;
                    }
                    if (j < g.length() && g.charAt(j) == ']') {
                        j++;
                    }
                    while (j < g.length() && g.charAt(j) != ']') {
                        j++;
                    }
                    if (j >= g.length()) {
                        re.append("\\[");   // no closing bracket: a literal '[', as in fnmatch
                    } else {
                        String set = g.substring(i, j);
                        i = j + 1;
                        StringBuilder cls = new StringBuilder("[");
                        int k = 0;
                        if (set.startsWith("!")) {
                            cls.append('^');
                            k = 1;
                        }
                        for (; k < set.length(); k++) {
                            char s = set.charAt(k);
                            // Ranges keep their '-'; everything else is taken literally inside the class.
                            if (s == '-' && k > 0 && k < set.length() - 1) {
                                cls.append('-');
                            } else {
                                cls.append(escapeInClass(s));
                            }
                        }
                        re.append(cls).append(']');
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** A character taken literally inside a Java regex class. */
    private static String escapeInClass(char c) {
        return "\\[]^&-".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }
}
