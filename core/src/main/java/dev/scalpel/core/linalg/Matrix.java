package dev.scalpel.core.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A dense float64 matrix, row-major: the currency of {@link Linalg}. Small on purpose: conversion from and to
 * NDArrays, products and transposes; the factorizations are LAPACK's.
 */
public record Matrix(int rows, int cols, double[] data) {
    public Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
    }

    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    public static Matrix identity(int n) {
        Matrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1;
        }
        return m;
    }

    public static Matrix of(double[][] rows) {
        int r = rows.length;
        int c = rows[0].length;
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Matrix(r, c, d);
    }

    /** A 2-D NDArray (any floating type) as float64. */
    public static Matrix from(NDArray a) {
        Shape s = a.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + s);
        }
        return new Matrix((int) s.get(0), (int) s.get(1), a.toType(DataType.FLOAT64, false).toDoubleArray());
    }

    /** This matrix as an NDArray of {@code type} in {@code manager}. */
    public NDArray toNDArray(NDManager manager, DataType type) {
        NDArray d = manager.create(data, new Shape(rows, cols));
        return type == DataType.FLOAT64 ? d : d.toType(type, false);
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, double v) {
        data[i * cols + j] = v;
    }

    public Matrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new Matrix(cols, rows, t);
    }

    /** The product {@code this x other}, with LAPACK's BLAS (dgemm). */
    public Matrix times(Matrix other) {
        return Linalg.multiply(this, other);
    }

    public Matrix plus(Matrix other) {
        sameShape(other);
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += other.data[i];
        }
        return new Matrix(rows, cols, d);
    }

    public Matrix minus(Matrix other) {
        sameShape(other);
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= other.data[i];
        }
        return new Matrix(rows, cols, d);
    }

    public Matrix scale(double factor) {
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= factor;
        }
        return new Matrix(rows, cols, d);
    }

    /** Frobenius norm. */
    public double norm() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    private void sameShape(Matrix o) {
        if (o.rows != rows || o.cols != cols) {
            throw new IllegalArgumentException("shapes differ: " + rows + "x" + cols + " vs " + o.rows + "x" + o.cols);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + " x " + cols + "]";
    }
}
