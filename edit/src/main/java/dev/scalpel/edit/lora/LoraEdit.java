package dev.scalpel.edit.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.adapter.LoraAdapter;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.Scalars;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.ft.EditLoss;
import dev.scalpel.edit.ft.FineTuningLoop;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EasyEdit's LoRA editing, batch by batch: a fresh adapter on each edited layer's down projection, A drawn as PEFT
 * initializes it (uniform in +-1/sqrt(in), kaiming_uniform with a = sqrt(5)) and B zero, so training starts from the
 * unedited model; the frozen model runs with hooks that add (alpha / r) x A^T B^T to the module's output; Adam trains A
 * and B; after the batch the adapter is merged into the weights, so later batches start from the edited model.
 */
public final class LoraEdit implements Editor {
    private static final String BATCHES = "batches";
    private final EditContext context;
    private final LoraHyperparameters hp;
    private long batches;
    private LoraAdapter last;

    LoraEdit(EditContext context, LoraHyperparameters hp) {
        this.context = context;
        this.hp = hp;
    }

    @Override
    public String name() {
        return "lora";
    }

    /** How many batches this run has edited: the draw of each batch's A depends on it, so a resumed run keeps it. */
    @Override
    public Map<String, Matrix> state() {
        return Map.of(BATCHES, new Matrix(1, 1, new double[] {batches}));
    }

    @Override
    public void restore(Map<String, Matrix> state) {
        Matrix saved = state.get(BATCHES);
        if (saved == null) {
            throw new IllegalArgumentException("the saved LoRA run state lacks '" + BATCHES + "'");
        }
        batches = (long) saved.get(0, 0);
    }

    /** The adapter the last batch trained and merged (null before the first), to save in PEFT's format. */
    @Override
    public LoraAdapter lastAdapter() {
        return last;
    }

    @Override
    public BatchResult apply(List<EditRequest> batch) {
        long start = System.nanoTime();
        TransformerModel model = context.model();
        List<LinearModule> modules = hp.layers().stream().map(l -> context.site().module(l)).toList();
        List<EditLoss.Rows> chunks = FineTuningLoop.chunks(batch, hp.loss(), hp.batchSize(), context.tokenizer(),
                context.padId());
        // The draw depends on the batch's place in the run, so a resumed run draws what the uninterrupted one did.
        SplittableRandom random = new SplittableRandom(31 * batches++ + 17);
        double scale = hp.alpha() / hp.rank();
        int epochs;
        LoraAdapter trained;
        try (NDManager m = model.newManager(); Parameters factors = new Parameters(m.newSubManager())) {
            for (LinearModule module : modules) {
                factors.put(module.name() + ".lora_A", initialA(factors.manager(), module, random), DType.F32);
                factors.put(module.name() + ".lora_B", factors.manager().zeros(new Shape(module.outFeatures(), hp.rank())),
                        DType.F32);
            }
            factors.requireGradients(true);
            try (AdamW adam = new AdamW(factors, FineTuningLoop.ADAM)) {
                epochs = FineTuningLoop.epochs(chunks, hp.steps(), hp.stopLoss(), chunk -> FineTuningLoop.gradientStep(
                        model, chunk, step -> hooks(step, modules, factors, scale), factors, adam, hp.learningRate(),
                        hp.stopLoss(), m));
            }
            Map<String, LoraAdapter.Factors> learned = new LinkedHashMap<>();
            for (LinearModule module : modules) {
                learned.put(module.name(), new LoraAdapter.Factors(Matrix.from(factors.get(module.name() + ".lora_A")),
                        Matrix.from(factors.get(module.name() + ".lora_B"))));
            }
            trained = new LoraAdapter(hp.rank(), hp.alpha(), false, learned);
        }
        trained.mergeInto(model);
        last = trained;
        Map<Integer, Double> deltaNorms = new LinkedHashMap<>();
        for (LinearModule module : modules) {
            deltaNorms.put(module.layer(), trained.delta(module.name()).norm());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BatchResult(seconds, Double.NaN, Collections.nCopies(batch.size(), epochs), deltaNorms, Map.of());
    }

    /** The edit loss of {@code rows} under the model as it is now (without an adapter). */
    double loss(EditLoss.Rows rows, NDManager m) {
        try (NDManager local = m.newSubManager()) {
            return EditLoss.loss(context.model(), rows, Hooks.none(), local).getFloat();
        }
    }

    private NDArray initialA(NDManager manager, LinearModule module, SplittableRandom random) {
        float bound = (float) (1 / Math.sqrt(module.inFeatures()));
        float[] values = new float[hp.rank() * module.inFeatures()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(-bound, bound));
        }
        return manager.create(values, new Shape(hp.rank(), module.inFeatures()));
    }

    /** Hooks that add scale * x A^T B^T to each module's output, x being the module's input in the same pass. */
    static Hooks hooks(NDManager step, List<LinearModule> modules, Parameters factors, double scale) {
        Hooks.Builder b = Hooks.builder(step);
        Map<String, NDArray> inputs = new java.util.HashMap<>();
        for (LinearModule module : modules) {
            b.add(module.inputHook(), (activation, name) -> {
                inputs.put(name, activation);
                return activation;
            });
            if (module.outputHooks().size() != 1) {
                throw new IllegalArgumentException(module.name() + " has a fused output; LoRA edits a down projection");
            }
            NDArray a = factors.get(module.name() + ".lora_A");
            NDArray bFactor = factors.get(module.name() + ".lora_B");
            b.add(module.outputHooks().getFirst(), (activation, name) -> {
                NDArray x = inputs.get(module.inputHook());
                NDArray change = Scalars.mul(x.matMul(a.transpose()).matMul(bFactor.transpose()), (float) scale);
                return activation.add(change.reshape(activation.getShape()));
            });
        }
        return b.build();
    }
}
