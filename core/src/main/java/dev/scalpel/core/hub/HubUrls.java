package dev.scalpel.core.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The hub's URLs, encoded as huggingface_hub encodes them (Python's urllib.parse.quote). */
final class HubUrls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HubUrls() {
    }

    /** The model's metadata at a revision, with file sizes and LFS hashes ({@code blobs=true}). */
    static URI modelInfo(String endpoint, ModelRef ref) {
        // The revision is one path segment even when it holds '/' (refs/pr/1 becomes refs%2Fpr%2F1).
        return URI.create(endpoint + "/api/models/" + ref.repoId() + "/revision/" + quote(ref.revision(), false)
                + "?blobs=true");
    }

    /** A file at a commit; its '/' stay separators. */
    static URI resolve(String endpoint, ModelRef ref, String commit, String repoPath) {
        return URI.create(endpoint + "/" + ref.repoId() + "/resolve/" + quote(commit, false) + "/"
                + quote(repoPath, true));
    }

    /** Percent-encodes all but letters, digits and {@code _.-~} (and '/' when it separates path segments). */
    static String quote(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~' || (keepSlash && c == '/');
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
