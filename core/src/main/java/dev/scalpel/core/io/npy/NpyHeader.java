package dev.scalpel.core.io.npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header dict of a {@code .npy} file, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
 * It is a Python literal; this parses the small subset numpy writes (dicts, tuples, lists, strings, integers, True,
 * False, None) and is as strict as numpy about the keys, so a file numpy refuses is refused here too.
 */
record NpyHeader(NpyDType dtype, long[] shape, boolean fortranOrder) {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python list, kept apart from a tuple because a list-valued descr means a structured dtype. */
    private record PyList(List<Object> items) {}

    static NpyHeader parse(String text, Path file, String entry) {
        Object value;
        try {
            Parser p = new Parser(text);
            value = p.value();
            p.skipSpace();
            if (!p.atEnd()) {
                throw p.error("unexpected text after the header dict");
            }
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, entry, "malformed header " + quote(text) + ": " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(file, entry, "the header " + quote(text) + " is not a dict");
        }
        if (!dict.keySet().equals(KEYS)) {
            throw new NpyFormatException(file, entry, "the header has keys " + dict.keySet()
                    + "; a .npy header has exactly descr, fortran_order and shape");
        }
        NpyDType dtype = dtype(dict.get("descr"), file, entry);
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(file, entry, "fortran_order is " + dict.get("fortran_order")
                    + ", not True or False");
        }
        return new NpyHeader(dtype, shape(dict.get("shape"), file, entry), fortran);
    }

    private static NpyDType dtype(Object descr, Path file, String entry) {
        if (descr instanceof PyList) {
            throw new NpyFormatException(file, entry, "structured (record) dtypes are not supported; save each field"
                    + " as its own array");
        }
        if (!(descr instanceof String s) || s.length() < 2) {
            throw new NpyFormatException(file, entry, "descr " + descr + " is not a numpy type string such as '<f4'");
        }
        char order = s.charAt(0);
        String code = "<>|=".indexOf(order) >= 0 ? s.substring(1) : s;
        if (code.startsWith("O")) {
            throw new NpyFormatException(file, entry, "dtype '" + s + "' holds pickled Python objects, which Scalpel"
                    + " never loads (unpickling runs arbitrary code); save a numeric array instead");
        }
        NpyDType type = NpyDType.ofCode(code);
        if (type == null) {
            throw new NpyFormatException(file, entry, "dtype '" + s + "' is not supported (supported: <f2, <f4, <f8,"
                    + " |i1, <i2, <i4, <i8, |u1, |b1)");
        }
        if (type.byteSize() > 1 && order == '>') {
            throw new NpyFormatException(file, entry, "dtype '" + s + "' is big-endian, which is not supported;"
                    + " convert it with arr.astype('" + type.descr() + "') before saving");
        }
        if (type.byteSize() > 1 && order != '<') {
            throw new NpyFormatException(file, entry, "dtype '" + s + "' does not say its byte order; numpy writes"
                    + " '" + type.descr() + "'");
        }
        return type;
    }

    private static long[] shape(Object shape, Path file, String entry) {
        if (!(shape instanceof List<?> dims)) {
            throw new NpyFormatException(file, entry, "shape " + shape + " is not a tuple");
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new NpyFormatException(file, entry, "shape " + dims + " is not a tuple of non-negative integers");
            }
            out[i] = d;
        }
        try {
            NpyArray.elementCount(out);
        } catch (ArithmeticException e) {
            throw new NpyFormatException(file, entry, "shape " + Arrays.toString(out) + " overflows");
        }
        return out;
    }

    private static String quote(String text) {
        String t = text.strip();
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + "\"";
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A recursive-descent reader of the Python literals numpy writes. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return at >= s.length();
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + at);
        }

        private boolean take(char c) {
            skipSpace();
            if (!atEnd() && s.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!take(c)) {
                throw error("expected '" + c + "'");
            }
        }

        Object value() {
            skipSpace();
            if (atEnd()) {
                throw error("unexpected end");
            }
            char c = s.charAt(at);
            return switch (c) {
                case '{' -> dict();
                case '(' -> sequence('(', ')');
                case '[' -> new PyList(sequence('[', ']'));
                case '\'', '"' -> string();
                default -> c == '-' || Character.isDigit(c) ? integer() : word();
            };
        }

        private Map<Object, Object> dict() {
            expect('{');
            Map<Object, Object> map = new LinkedHashMap<>();
            while (!take('}')) {
                Object key = value();
                expect(':');
                if (map.put(key, value()) != null) {
                    throw error("duplicate key " + key);
                }
                if (!take(',')) {
                    expect('}');
                    break;
                }
            }
            return map;
        }

        private List<Object> sequence(char open, char close) {
            expect(open);
            List<Object> items = new ArrayList<>();
            while (!take(close)) {
                items.add(value());
                if (!take(',')) {
                    expect(close);
                    break;
                }
            }
            return items;
        }

        private String string() {
            char quote = s.charAt(at++);
            StringBuilder b = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(at++);
                if (c == quote) {
                    return b.toString();
                }
                if (c == '\\') {
                    if (atEnd()) {
                        throw error("unterminated string");
                    }
                    c = s.charAt(at++);
                }
                b.append(c);
            }
        }

        private Long integer() {
            int start = at;
            if (s.charAt(at) == '-') {
                at++;
            }
            while (!atEnd() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            String digits = s.substring(start, at);
            if (!atEnd() && (s.charAt(at) == 'L' || s.charAt(at) == 'l')) {
                at++;   // Python 2 long literal, as in headers written by numpy under Python 2
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("bad integer '" + digits + "'");
            }
        }

        private Object word() {
            int start = at;
            while (!atEnd() && Character.isLetter(s.charAt(at))) {
                at++;
            }
            return switch (s.substring(start, at)) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> NONE;
                default -> {
                    at = start;
                    throw error("unexpected '" + s.charAt(at) + "'");
                }
            };
        }
    }
}
