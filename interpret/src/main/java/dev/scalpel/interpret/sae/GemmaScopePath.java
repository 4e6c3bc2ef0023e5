package dev.scalpel.interpret.sae;

import dev.scalpel.core.model.HookNames;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Gemma Scope {@code params.npz} is for, read from where it lies: releases are laid out as
 * {@code gemma-scope-{2b,9b,27b}-{pt,it}-{res,mlp,att}/layer_{L}/width_{W}/average_l0_{N}/params.npz} (also under a
 * Hugging Face cache folder {@code models--google--gemma-scope-...}). The archive itself holds only the five arrays.
 *
 * <p>Gemma Scope was trained on sequences of 1024 tokens that begin with BOS, with the BOS position left out of the
 * training activations; encoding BOS activations gives large reconstruction errors, which the metadata records.
 */
final class GemmaScopePath {
    static final int CONTEXT_SIZE = 1024;
    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
    private static final Pattern WIDTH = Pattern.compile("width_\\w+");
    private static final Pattern RELEASE = Pattern.compile("gemma-scope-(\\d+b)-(pt|it)-(res|mlp|att)");

    private GemmaScopePath() {}

    /**
     * The metadata the path implies: hook {@code blocks.L.hook_resid_post} (or {@code hook_mlp_out},
     * {@code attn.hook_z} for the mlp and att releases) when the file lies in {@code layer_L/width_W/<folder>/},
     * and the Gemma 2 model when a release folder is among its ancestors; empty model and hook names otherwise.
     */
    static SaeMetadata metadata(Path npz) {
        Path abs = npz.toAbsolutePath().normalize();
        Path folder = abs.getParent();
        Path width = folder == null ? null : folder.getParent();
        Path layerDir = width == null ? null : width.getParent();
        String hook = "";
        if (layerDir != null && layerDir.getFileName() != null && width.getFileName() != null
                && WIDTH.matcher(width.getFileName().toString()).matches()) {
            Matcher layer = LAYER.matcher(layerDir.getFileName().toString());
            if (layer.matches()) {
                hook = hook(Integer.parseInt(layer.group(1)), kind(abs));
            }
        }
        return new SaeMetadata(model(abs), hook, CONTEXT_SIZE, true, true);
    }

    private static String hook(int layer, String kind) {
        return switch (kind) {
            case "mlp" -> HookNames.block(layer, HookNames.MLP_OUT);
            case "att" -> HookNames.block(layer, HookNames.Z);
            default -> HookNames.block(layer, HookNames.RESID_POST);
        };
    }

    private static Matcher release(Path abs) {
        for (Path p = abs; p != null; p = p.getParent()) {
            if (p.getFileName() != null) {
                Matcher m = RELEASE.matcher(p.getFileName().toString().toLowerCase(Locale.ROOT));
                if (m.find()) {
                    return m;
                }
            }
        }
        return null;
    }

    private static String kind(Path abs) {
        Matcher m = release(abs);
        return m == null ? "res" : m.group(3);
    }

    private static String model(Path abs) {
        Matcher m = release(abs);
        if (m == null) {
            return "";
        }
        return "google/gemma-2-" + m.group(1) + (m.group(2).equals("it") ? "-it" : "");
    }
}
