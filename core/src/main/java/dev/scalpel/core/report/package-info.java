/**
 * Charts for reports, drawn as self-contained SVG ({@link dev.scalpel.core.report.SvgChart}).
 */
package dev.scalpel.core.report;
