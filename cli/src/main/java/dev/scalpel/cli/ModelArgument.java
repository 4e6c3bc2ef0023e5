package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hub.HubCache;
import dev.scalpel.core.hub.HubException;
import dev.scalpel.core.hub.HubSettings;
import dev.scalpel.core.hub.ModelRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Turns a command's MODEL argument into a model folder. It is tried, in order, as:
 * <ol>
 *   <li>a folder on disk, used as it is (a local folder always wins, even one named like {@code org/name});</li>
 *   <li>a Hugging Face model id, {@code org/name} or {@code org/name@revision}, found in the hub cache shared with
 *       Python's huggingface_hub, without touching the network (downloading is {@code scalpel pull}'s job, so a
 *       command never starts a multi-gigabyte transfer by surprise).</li>
 * </ol>
 * and between the two, a model Scalpel names itself ({@link NamedModels}: {@code minilm}, the lab's models).
 */
final class ModelArgument {
    private ModelArgument() {
    }

    static Path resolve(String argument) {
        return resolve(argument, HubSettings::fromSystem);
    }

    /** As {@link #resolve(String)}, with the hub cache taken from {@code hub} (tests give their own). */
    static Path resolve(String argument, HubSettings hub) {
        return resolve(argument, () -> hub);
    }

    /** The hub settings are read only when the argument is not a folder: a bad HF_* variable must not break folders. */
    private static Path resolve(String argument, Supplier<HubSettings> hub) {
        Path p = Path.of(argument);
        if (Files.isDirectory(p)) {
            return p;
        }
        if (Files.exists(p)) {
            throw new ScalpelException(argument + ": not a folder; pass the Hugging Face model folder that holds config.json");
        }
        if (NamedModels.knows(argument)) {
            return NamedModels.folder(argument);
        }
        if (ModelRef.looksLikeOne(argument)) {
            try {
                return HubCache.of(hub.get()).resolve(ModelRef.parse(argument));
            } catch (HubException e) {
                throw new HubException(e.reason(), argument + ": no such model folder; as a Hugging Face model id: "
                        + e.getMessage(), e);
            }
        }
        throw new ScalpelException(argument + ": no such model folder, and not a Hugging Face model id either; pass a"
                + " folder that holds config.json, org/name[@revision] of a model downloaded with scalpel pull, or one of "
                + NamedModels.names());
    }
}
