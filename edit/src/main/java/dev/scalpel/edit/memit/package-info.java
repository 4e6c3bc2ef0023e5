/** MEMIT: mass-editing memory in a transformer (Meng et al., ICLR 2023), batch least-squares updates over several layers. */
package dev.scalpel.edit.memit;
