/**
 * Training with autograd: objectives (next-token, masked diffusion), AdamW, schedules, clipping and a resumable loop
 * ({@link dev.scalpel.core.train.Trainer}) that the lab's models are trained with.
 */
package dev.scalpel.core.train;
