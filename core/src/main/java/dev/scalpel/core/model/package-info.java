/**
 * Transformer models on libtorch. Each family of architectures is declared once, in a {@link
 * dev.scalpel.core.model.ModelFamily} next to its model class: {@link dev.scalpel.core.model.Gpt2Family} with {@link
 * dev.scalpel.core.model.Gpt2Model}, {@link dev.scalpel.core.model.LlamaFamily} (Llama, Mistral, Qwen2) with {@link
 * dev.scalpel.core.model.LlamaModel}, {@link dev.scalpel.core.model.Gemma2Family} with {@link
 * dev.scalpel.core.model.Gemma2Model}, {@link dev.scalpel.core.model.BertFamily} with {@link
 * dev.scalpel.core.model.BertModel}. A family reads config.json into a {@link dev.scalpel.core.model.ModelConfig},
 * lays out the parameters ({@link dev.scalpel.core.model.ParameterLayout}: names, shapes, initialization, which a
 * checkpoint must have), lists the hook points (named in {@link dev.scalpel.core.model.HookNames}) and maps every
 * linear module to the hooks of its input and output ({@link dev.scalpel.core.model.LinearModule}). The model class
 * holds only the arithmetic, using the family's names.
 *
 * <p>Adding an architecture: a family, a model class and an {@link dev.scalpel.core.model.Architecture} constant, all
 * here; {@code ModelFamilyTest} then checks the layout against a transformers checkpoint and every linear module
 * against its hooks. Loading ({@link dev.scalpel.core.model.Models}), key/value caches and saving back to a Hugging
 * Face folder ({@link dev.scalpel.core.model.ModelWriter}) are shared by all families.
 */
package dev.scalpel.core.model;
