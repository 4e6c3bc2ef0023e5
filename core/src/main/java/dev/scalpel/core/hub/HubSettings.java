package dev.scalpel.core.hub;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the hub is and where its cache lives, read from the same environment variables as Python's huggingface_hub,
 * so that both tools share one cache and one token.
 *
 * @param endpoint the hub's base URL, without a trailing slash ({@code HF_ENDPOINT}, default https://huggingface.co)
 * @param token the access token, or null: {@code HF_TOKEN}, else the token file ({@code HF_TOKEN_PATH}, default
 *     {@code $HF_HOME/token}) that {@code huggingface-cli login} writes
 * @param home {@code HF_HOME}, default {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}
 * @param cache the hub cache, {@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}), default
 *     {@code $HF_HOME/hub}
 * @param offline {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) is 1/ON/YES/TRUE: never touch the network
 * @param symlinks snapshot files are symbolic links into {@code blobs/}; false when {@code HF_HUB_DISABLE_SYMLINKS}
 *     is set, and then they are copies (what huggingface_hub also does where a file system has no symlinks)
 */
public record HubSettings(String endpoint, String token, Path home, Path cache, boolean offline, boolean symlinks) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** huggingface_hub's spelling of "true" for its boolean variables, compared in upper case. */
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        endpoint = stripTrailingSlashes(endpoint);
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ScalpelException("HF_ENDPOINT=" + endpoint + ": not an http(s) URL such as "
                        + DEFAULT_ENDPOINT);
            }
        } catch (URISyntaxException e) {
            throw new ScalpelException("HF_ENDPOINT=" + endpoint + ": not a URL (" + e.getMessage() + ")", e);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /** The settings of this process's environment. */
    public static HubSettings fromSystem() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The settings that {@code env} describes. {@code HOME} in the map stands for the user's home folder (as
     * Python's {@code os.path.expanduser} reads it); without it the JVM's {@code user.home} is used.
     */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        String userHome = nonEmpty(env.get("HOME"));
        Path home = userHome != null ? Path.of(userHome) : Path.of(System.getProperty("user.home"));
        String xdg = nonEmpty(env.get("XDG_CACHE_HOME"));
        Path hfHome = nonEmpty(env.get("HF_HOME")) != null
                ? expand(env.get("HF_HOME"), home)
                : (xdg != null ? expand(xdg, home) : home.resolve(".cache")).resolve("huggingface");
        String cacheVariable = nonEmpty(env.get("HF_HUB_CACHE")) != null ? env.get("HF_HUB_CACHE")
                : nonEmpty(env.get("HUGGINGFACE_HUB_CACHE"));
        Path cache = cacheVariable != null ? expand(cacheVariable, home) : hfHome.resolve("hub");
        String endpoint = nonEmpty(env.get("HF_ENDPOINT")) != null ? env.get("HF_ENDPOINT").strip() : DEFAULT_ENDPOINT;
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        boolean symlinks = !isTrue(env.get("HF_HUB_DISABLE_SYMLINKS"));
        return new HubSettings(endpoint, token(env, hfHome, home), hfHome, cache, offline, symlinks);
    }

    /** Never prints the token itself: settings end up in logs and error reports. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "(set)") + ", home=" + home
                + ", cache=" + cache + ", offline=" + offline + ", symlinks=" + symlinks + "]";
    }

    private static String token(Map<String, String> env, Path hfHome, Path home) {
        // huggingface_hub reads HF_TOKEN first and still honors the older HUGGING_FACE_HUB_TOKEN.
        for (String variable : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            String value = nonEmpty(env.get(variable));
            if (value != null) {
                return value.strip();
            }
        }
        String tokenPath = nonEmpty(env.get("HF_TOKEN_PATH"));
        Path file = tokenPath != null ? expand(tokenPath, home) : hfHome.resolve("token");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return nonEmpty(Files.readString(file).strip());
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read the Hugging Face token file: " + e.getMessage(), e);
        }
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    /** Expands a leading {@code ~}, as Python's {@code os.path.expanduser} does for these variables. */
    private static Path expand(String value, Path home) {
        String v = value.strip();
        if (v.equals("~")) {
            return home;
        }
        if (v.startsWith("~/")) {
            return home.resolve(v.substring(2));
        }
        return Path.of(v);
    }

    private static String nonEmpty(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String stripTrailingSlashes(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
