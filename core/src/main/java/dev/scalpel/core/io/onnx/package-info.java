/**
 * A small reader for ONNX models ({@code ModelProto} protobuf files), written against the protobuf wire format
 * directly, and the import of BERT graphs into Scalpel's {@code BertModel}. It reads what a weight import needs: the
 * graph's initializers (streamed one at a time, never the whole file in memory), its nodes with their inputs,
 * outputs and constant attributes, and the graph's input and output names. It does not run graphs.
 */
package dev.scalpel.core.io.onnx;
