/** ROME: rank-one model editing (Meng et al., NeurIPS 2022). */
package dev.scalpel.edit.rome;
