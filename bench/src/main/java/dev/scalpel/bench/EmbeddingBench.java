package dev.scalpel.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.embed.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * all-MiniLM-L6-v2 sentence embeddings: Scalpel (weights read from the ONNX file into its own BERT on libtorch) against
 * LangChain4j's AllMiniLmL6V2EmbeddingModel (ONNX Runtime), on the same texts of about 128 word pieces.
 */
final class EmbeddingBench {
    private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all would their we him can has more will if "
            + "no when so what about who out them into some time only could new these two may then do first any my now "
            + "such like our over man me even most made after also did many before must through back years where much "
            + "your way well down should because each just those people how too little state good very make world still "
            + "own see men work long get here between both life being under never day same another know while last "
            + "might us great old year off come since against go came right used take three").split(" ");

    private EmbeddingBench() {
    }

    static List<String> texts(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 110; w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(s.append('.').toString());
        }
        return out;
    }

    static List<Measurement> run(int repeats) {
        List<String> texts = texts(256, 9);
        Map<String, Object> settings = Map.of("texts", texts.size(), "batch", 32, "approx_tokens_per_text", 128,
                "pooling", "mean + L2 normalization");
        List<Measurement> out = new ArrayList<>();
        try (SentenceEmbedder scalpel = MiniLm.load()) {
            double[] rates = Repeat.runs(1, repeats, () -> {
                long t0 = System.nanoTime();
                scalpel.embedAll(texts, 32);
                return texts.size() / ((System.nanoTime() - t0) / 1e9);
            });
            out.add(new Measurement("embed.minilm", "scalpel", Repeat.median(rates), "texts/s", rates, settings));
        }
        AllMiniLmL6V2EmbeddingModel onnx = new AllMiniLmL6V2EmbeddingModel();
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        double[] rates = Repeat.runs(1, repeats, () -> {
            long t0 = System.nanoTime();
            onnx.embedAll(segments);
            return texts.size() / ((System.nanoTime() - t0) / 1e9);
        });
        out.add(new Measurement("embed.minilm", "langchain4j (onnxruntime)", Repeat.median(rates), "texts/s", rates, settings));
        return out;
    }
}
