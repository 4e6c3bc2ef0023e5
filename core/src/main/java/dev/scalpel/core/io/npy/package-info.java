/**
 * NumPy's {@code .npy} arrays and {@code .npz} archives, read and written without Python: SAELens and other Python
 * tools save SAEs and activations this way. Readers validate the header as NumPy does (version, dtype, order, shape
 * against the bytes), refuse pickled object arrays, and bound archive members against the zip's recorded sizes.
 */
package dev.scalpel.core.io.npy;
