package dev.scalpel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.Hooks;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A transformer whose weights are held as {@link Parameters} by their Hugging Face names and whose forward pass exposes
 * TransformerLens-named hook points. Subclasses write the architecture's arithmetic in {@link #compute}; this class
 * owns the plumbing: input checks, masks and positions, memory scoping, and handing the results to the caller.
 */
public abstract class TransformerModel implements AutoCloseable {
    protected final ModelConfig config;
    protected final Parameters params;
    private Set<String> hookPoints;
    private List<LinearModule> linearModules;

    protected TransformerModel(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
    }

    public ModelConfig config() {
        return config;
    }

    public Architecture architecture() {
        return config.architecture();
    }

    public Parameters parameters() {
        return params;
    }

    /**
     * A manager for one computation with this model (on the weights' device), to close when it is done: what a pass
     * makes there is freed with it, and the weights are not.
     */
    public ai.djl.ndarray.NDManager newManager() {
        return params.manager().newSubManager();
    }

    /** Every hook point name of this model, in forward order. */
    public final List<String> hookPoints() {
        if (hookPoints == null) {
            hookPoints = new LinkedHashSet<>(architecture().family().hookPoints(config));
        }
        return List.copyOf(hookPoints);
    }

    /** The blocks' linear modules with their weights and the hooks that see their inputs and outputs. */
    public final List<LinearModule> linearModules() {
        if (linearModules == null) {
            linearModules = List.copyOf(architecture().family().linearModules(config));
        }
        return linearModules;
    }

    /** The linear module of {@code layer} with {@code role}; an error naming the architecture if it has none. */
    public final LinearModule linearModule(int layer, LinearModule.Role role) {
        return linearModules().stream().filter(m -> m.layer() == layer && m.role() == role).findFirst()
                .orElseThrow(() -> new ScalpelException(architecture().modelType() + " has no " + role
                        + " projection in layer " + layer + " (layers 0.." + (config.numLayers() - 1) + ")"));
    }

    /** The plain forward pass: logits and final hidden state owned by {@code into}. */
    public ForwardResult forward(ForwardRequest request, NDManager into) {
        return forward(request, Hooks.none(), into);
    }

    /**
     * Runs the model. Every temporary array is released when the pass returns; the results (and any activations the
     * hooks record) live in {@code into} and the hooks' cache. Inside a {@code GradientCollector} gradients flow from the
     * results back to parameters and to any array a hook function mixed in.
     */
    public ForwardResult forward(ForwardRequest request, Hooks hooks, NDManager into) {
        checkHookNames(hooks);
        if (request.cache() != null && !config().causal()) {
            throw new ScalpelException(architecture() + (architecture().isCausal() ? " with is_causal false" : "")
                    + " attends in both directions; it takes no key/value cache");
        }
        dev.scalpel.core.ThreadShare.apply();   // the thread share may have changed since the last pass
        try (NDScope scope = new NDScope(); NDManager local = into.newSubManager()) {
            scope.suppressNotUsedWarning();
            ForwardPass pass = new ForwardPass(request, local, config().causal());
            checkTokenIds(pass);
            ForwardResult out = compute(pass, hooks);
            if (pass.cache != null) {
                pass.cache.advance(pass.queries);
            }
            return new ForwardResult(keep(out.logits(), into), keep(out.hidden(), into));
        }
    }

    private static NDArray keep(NDArray a, NDManager into) {
        if (a == null) {
            return null;
        }
        NDScope.unregister(a);
        a.attach(into);
        return a;
    }

    private void checkHookNames(Hooks hooks) {
        if (hooks.isEmpty()) {
            return;
        }
        hookPoints();
        for (String name : hooks.referencedNames()) {
            if (!hookPoints.contains(name)) {
                throw new ScalpelException("unknown hook point '" + name + "' for " + architecture().modelType()
                        + "; run `scalpel inspect` to list them (for example " + hookPoints.iterator().next() + ")");
            }
        }
    }

    private void checkTokenIds(ForwardPass pass) {
        NDArray ids = pass.inputIds;
        long max = ids.max().getLong();
        long min = ids.min().getLong();
        if (min < 0 || max >= config.vocabSize()) {
            throw new ScalpelException("token id out of range: ids span [" + min + ", " + max + "] but the vocabulary has "
                    + config.vocabSize() + " entries");
        }
    }

    /** Computes the pass's outputs in the pass's own manager; {@code forward} moves them to the caller's. */
    abstract ForwardResult compute(ForwardPass pass, Hooks hooks);

    /** The parameter names this architecture needs, to check a checkpoint before any compute. */
    final List<String> requiredParameters() {
        return architecture().family().layout(config).requiredNames();
    }

    /** Releases the weights. */
    @Override
    public void close() {
        params.close();
    }

    protected NDArray p(String name) {
        return params.get(name);
    }

    protected NDArray optional(String name) {
        return params.contains(name) ? params.get(name) : null;
    }

    /** The weight of {@code module} ({@code module.weight}). */
    protected NDArray weight(String module) {
        return params.get(module + ".weight");
    }

    /** nn.Linear {@code module} applied to x: packed weights through their own kernel, dense ones as they are. */
    protected NDArray linear(NDArray x, String module) {
        PackedLinear packed = params.packed(module + ".weight");
        return packed == null ? Layers.linear(x, weight(module), bias(module)) : applyPacked(x, packed, module);
    }

    /** GPT-2's Conv1D {@code module} applied to x (weight stored [in, out]); packed weights through their kernel. */
    protected NDArray conv1d(NDArray x, String module) {
        PackedLinear packed = params.packed(module + ".weight");
        return packed == null ? Layers.conv1d(x, weight(module), bias(module)) : applyPacked(x, packed, module);
    }

    /** A packed weight's output plus the module's bias, if it has one (either layout: the kernel knows its own). */
    private NDArray applyPacked(NDArray x, PackedLinear packed, String module) {
        NDArray b = bias(module);
        NDArray y = packed.apply(x);
        return b == null ? y : y.addi(b);
    }

    /** The bias of {@code module}, or null when it has none. */
    protected NDArray bias(String module) {
        return optional(module + ".bias");
    }

    /** Keeps the last position only, as generation needs: [B, Q, D] to [B, 1, D]. */
    static NDArray lastPosition(NDArray x) {
        long q = x.getShape().get(1);
        return x.get(":, {}:", q - 1);
    }
}
