package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Scalpel class calls DJL's {@code Number} overloads of the NDArray operations whose backward pass saves the scalar
 * (mul, div, pow, maximum, minimum and their in-place forms): DJL frees that scalar's memory while the graph still
 * reads it, which made gradients NaN after a garbage collection (see dev.scalpel.core.model.Scalars). Read from the
 * compiled classes of every module, so no call site can hide.
 */
class NoBorrowedScalarsTest {
    private static final Set<String> SAVING_OPS = Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum",
            "maximumi", "minimum", "minimumi", "rdiv", "rdivi", "rpow", "rpowi");
    private static final List<Class<?>> ONE_CLASS_PER_MODULE = List.of(dev.scalpel.core.Runtime.class,
            dev.scalpel.lab.build.LabBuilder.class, dev.scalpel.edit.Editor.class,
            dev.scalpel.interpret.harvest.ActivationHarvester.class, Main.class);

    @Test
    void noScalpelClassPassesAJavaNumberToAnOperationWhoseGradientSavesIt() throws Exception {
        List<String> offenders = new ArrayList<>();
        int classes = 0;
        for (Class<?> anchor : ONE_CLASS_PER_MODULE) {
            for (byte[] bytes : classFiles(anchor)) {
                offenders.addAll(offenders(ClassFile.of().parse(bytes)));
                classes++;
            }
        }
        assertTrue(classes > 300, "read the classes of every module, got " + classes);
        assertEquals(List.of(), offenders, "use dev.scalpel.core.model.Scalars instead");
    }

    @Test
    void theScanFindsSuchACall() throws IOException {
        byte[] bytes;
        try (InputStream in = NoBorrowedScalarsTest.class.getResourceAsStream("NoBorrowedScalarsTest.class")) {
            bytes = in.readAllBytes();
        }
        assertEquals(List.of("dev/scalpel/cli/NoBorrowedScalarsTest.offendingExample calls ai/djl/ndarray/NDArray.mul(Number)"),
                offenders(ClassFile.of().parse(bytes)));
    }

    /** What the scan must catch (it is never run). */
    static ai.djl.ndarray.NDArray offendingExample(ai.djl.ndarray.NDArray x) {
        return x.mul(2f);
    }

    private static List<String> offenders(ClassModel model) {
        List<String> offenders = new ArrayList<>();
        for (MethodModel method : model.methods()) {
            method.code().ifPresent(code -> code.forEach(element -> {
                if (element instanceof InvokeInstruction call
                        && call.owner().asInternalName().startsWith("ai/djl/")
                        && SAVING_OPS.contains(call.name().stringValue())
                        && call.typeSymbol().parameterList().stream().anyMatch(
                                p -> p.descriptorString().equals("Ljava/lang/Number;"))) {
                    offenders.add(model.thisClass().asInternalName() + "." + method.methodName().stringValue()
                            + " calls " + call.owner().asInternalName() + "." + call.name().stringValue() + "(Number)");
                }
            }));
        }
        return offenders;
    }

    private static List<byte[]> classFiles(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<byte[]> out = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    out.add(Files.readAllBytes(p));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    if (e.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.add(in.readAllBytes());
                        }
                    }
                }
            }
        }
        return out;
    }
}
