package dev.scalpel.lab.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab models shipped inside the lab jar, trained once with {@code scalpel lab build} and stored in bfloat16 so a
 * fresh clone runs the tour without training. Each shipped model is a folder {@code NAME/} under
 * {@value #RESOURCES} holding {@code model/} (a Hugging Face folder), {@code manifest.json} (a {@link ShippedManifest})
 * and {@code report/}, listed with their SHA-256 in {@code files.txt} ({@code sha256sum}'s format). On first use it is
 * unpacked to the lab home under a folder named by the list's hash, and every file is checked against it, so a newer
 * Scalpel's model never mixes with an older one's and a damaged file is named, not loaded.
 */
public final class ShippedModels {
    public static final String RESOURCES = "/dev/scalpel/lab/shipped/";
    static final String LIST = "files.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens one shipped file by its path under {@value #RESOURCES} (null when absent). */
    public interface Source {
        InputStream open(String path) throws IOException;

        /** The lab jar's shipped models. */
        static Source classPath() {
            return path -> ShippedModels.class.getResourceAsStream(RESOURCES + path);
        }

        /** A folder laid out like {@value #RESOURCES} (tests; a shipment being prepared). */
        static Source folder(Path root) {
            return path -> Files.isRegularFile(root.resolve(path)) ? Files.newInputStream(root.resolve(path)) : null;
        }
    }

    private final Source source;
    private final Path unpacked;

    public ShippedModels(Source source, Path unpacked) {
        this.source = source;
        this.unpacked = unpacked;
    }

    /** The lab jar's models, unpacked under the lab home. */
    public static ShippedModels of(LabHome home) {
        return new ShippedModels(Source.classPath(), home.shipped());
    }

    /** Whether {@code name} is shipped. */
    public boolean ships(String name) {
        return list(name).isPresent();
    }

    /** The unpacked folder of a shipped model ({@code model/}, {@code manifest.json}, {@code report/}), if shipped. */
    public Optional<Path> folder(String name) {
        return list(name).map(list -> unpack(name, list));
    }

    /** The shipped model's manifest, if shipped. */
    public Optional<ShippedManifest> manifest(String name) {
        return folder(name).map(f -> read(f.resolve("manifest.json")));
    }

    static ShippedManifest read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ShippedManifest.class);
        } catch (IOException e) {
            throw new ScalpelException(file + ": unreadable shipped manifest: " + e.getMessage(), e);
        }
    }

    private record Entry(String sha256, String path) {
    }

    private Optional<String> list(String name) {
        try (InputStream in = source.open(name + "/" + LIST)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ScalpelException(RESOURCES + name + "/" + LIST + ": unreadable: " + e.getMessage(), e);
        }
    }

    private Path unpack(String name, String list) {
        Path folder = unpacked.resolve(name + "-" + Sha256.of(list).substring(0, 12));
        List<Entry> entries = entries(name, list);
        try {
            for (Entry e : entries) {
                Path target = folder.resolve(e.path());
                if (Files.exists(target)) {
                    continue;
                }
                try (InputStream in = source.open(name + "/" + e.path())) {
                    if (in == null) {
                        throw new ScalpelException(RESOURCES + name + "/" + e.path() + " is listed in " + LIST
                                + " but missing; rebuild the lab jar");
                    }
                    byte[] bytes = in.readAllBytes();
                    String actual = Sha256.of(bytes);
                    if (!actual.equals(e.sha256())) {
                        throw new ScalpelException(RESOURCES + name + "/" + e.path() + ": SHA-256 " + actual
                                + " is not the listed " + e.sha256() + " (damaged or replaced)");
                    }
                    Files.createDirectories(target.getParent());
                    AtomicFiles.writeBytes(target, bytes);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot unpack the shipped " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> entries(String name, String list) {
        List<Entry> out = new ArrayList<>();
        int number = 0;
        for (String line : list.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || parts[1].contains("..")) {
                throw new ScalpelException(RESOURCES + name + "/" + LIST + ": line " + number
                        + " is not 'SHA-256  path': " + line);
            }
            out.add(new Entry(parts[0], parts[1]));
        }
        return out;
    }

    /** Writes {@code files.txt} for a shipment folder: every file under it but the list, sorted by path. */
    static void writeList(Path shipment) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var files = Files.walk(shipment)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = shipment.relativize(f).toString().replace('\\', '/');
                if (!relative.equals(LIST)) {
                    lines.add(Sha256.of(Files.readAllBytes(f)) + "  " + relative);
                }
            }
        }
        AtomicFiles.writeString(shipment.resolve(LIST), String.join("\n", lines) + "\n");
    }
}
