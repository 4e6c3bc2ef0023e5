/**
 * What every module stands on: {@link dev.scalpel.core.LoadedModel} (a model folder with its tokenizer and generation
 * defaults), the engine's start-up ({@link dev.scalpel.core.Runtime}), the share of the machine's threads a job takes
 * ({@link dev.scalpel.core.ThreadShare}) and the one exception users see ({@link dev.scalpel.core.ScalpelException},
 * which names the file or item and the problem).
 */
package dev.scalpel.core;
