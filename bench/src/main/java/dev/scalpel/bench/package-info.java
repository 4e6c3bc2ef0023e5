/**
 * {@code scalpel bench}: measurements of embedding, generation, training, editing and SAE throughput, each repeated
 * and written as JSON with the machine ({@link dev.scalpel.bench.BenchMain}); the soak mode counts non-finite training
 * steps over many tiny builds ({@link dev.scalpel.bench.SoakBench}).
 */
package dev.scalpel.bench;
