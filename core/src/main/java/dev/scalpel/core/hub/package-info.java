/**
 * The Hugging Face hub: downloading model repositories ({@link dev.scalpel.core.hub.HubClient}) into the cache that
 * Python's huggingface_hub also uses ({@link dev.scalpel.core.hub.HubCache}: {@code models--org--name/blobs},
 * {@code snapshots/<commit>}, {@code refs/<revision>}), and finding them there without a network. Settings come from
 * the same environment variables as huggingface_hub's ({@link dev.scalpel.core.hub.HubSettings}).
 */
package dev.scalpel.core.hub;
