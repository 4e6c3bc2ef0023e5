/** AlphaEdit: null-space constrained knowledge editing (Fang et al., ICLR 2025). */
package dev.scalpel.edit.alphaedit;
