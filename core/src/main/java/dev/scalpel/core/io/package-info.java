/**
 * Files on disk: safetensors read (memory-mapped, strictly validated, sharded) and written
 * ({@link dev.scalpel.core.io.SafetensorsFile}, {@link dev.scalpel.core.io.SafetensorsWriter}), pickles refused, atomic
 * writes ({@link dev.scalpel.core.io.AtomicFiles}), the Scalpel home every cache lives in
 * ({@link dev.scalpel.core.io.ScalpelHome}), and the content hashes caches key on ({@link dev.scalpel.core.io.Sha256});
 * user text decoded one way ({@link dev.scalpel.core.io.TextReaders}: gzip by its bytes, strict UTF-8) and JSON Lines
 * parsed one way ({@link dev.scalpel.core.io.JsonLines}, errors naming file and line). Resumable run folders are in
 * {@link dev.scalpel.core.run}.
 */
package dev.scalpel.core.io;
