package dev.scalpel.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to do at hook points during one forward pass: functions that read or replace activations, and the names whose
 * activations to record in an {@link ActivationCache}. At a hook point the functions run first, in the order added,
 * and the cache records the value the forward continues with.
 *
 * <p>Models call {@link #at(String, NDArray)} at every hook point; with nothing registered it returns its argument.
 */
public final class Hooks {
    private static final Hooks NONE = new Hooks(Map.of(), Set.of(), null);

    private final Map<String, List<HookFunction>> functions;
    private final Set<String> cached;
    private final ActivationCache cache;

    private Hooks(Map<String, List<HookFunction>> functions, Set<String> cached, ActivationCache cache) {
        this.functions = functions;
        this.cached = cached;
        this.cache = cache;
    }

    /** No hooks: the plain forward pass. */
    public static Hooks none() {
        return NONE;
    }

    /** Starts a set of hooks whose recorded activations (if any) live in {@code manager}. */
    public static Builder builder(NDManager manager) {
        return new Builder(manager);
    }

    /** Records the named activations into a fresh cache in {@code manager}. */
    public static Hooks caching(NDManager manager, Collection<String> names) {
        return builder(manager).cache(names).build();
    }

    /** Runs the registered functions at {@code name}, records the result if asked, and returns it. */
    public NDArray at(String name, NDArray activation) {
        List<HookFunction> fns = functions.get(name);
        NDArray value = activation;
        if (fns != null) {
            for (HookFunction fn : fns) {
                value = fn.apply(value, name);
                if (value == null) {
                    throw new ScalpelException("hook function at '" + name + "' returned null; return the activation to keep it");
                }
            }
        }
        if (cache != null && cached.contains(name)) {
            cache.record(name, value);
        }
        return value;
    }

    /** Every hook name this object refers to, so a model can reject names it does not have. */
    public Set<String> referencedNames() {
        Set<String> all = new LinkedHashSet<>(functions.keySet());
        all.addAll(cached);
        return all;
    }

    public boolean isEmpty() {
        return functions.isEmpty() && cached.isEmpty();
    }

    /** The cache the recorded activations go to; an error if this object records nothing. */
    public ActivationCache cache() {
        if (cache == null) {
            throw new ScalpelException("these hooks record no activations; build them with cache(...)");
        }
        return cache;
    }

    /** Builds a {@link Hooks}. */
    public static final class Builder {
        private final NDManager manager;
        private final Map<String, List<HookFunction>> functions = new LinkedHashMap<>();
        private final Set<String> cached = new LinkedHashSet<>();

        private Builder(NDManager manager) {
            this.manager = manager;
        }

        public Builder cache(String... names) {
            return cache(List.of(names));
        }

        public Builder cache(Collection<String> names) {
            cached.addAll(names);
            return this;
        }

        public Builder add(String name, HookFunction fn) {
            functions.computeIfAbsent(name, k -> new ArrayList<>()).add(fn);
            return this;
        }

        public Hooks build() {
            Map<String, List<HookFunction>> fns = new LinkedHashMap<>();
            functions.forEach((k, v) -> fns.put(k, List.copyOf(v)));
            ActivationCache c = cached.isEmpty() ? null : new ActivationCache(manager);
            return new Hooks(fns, Set.copyOf(cached), c);
        }
    }
}
