// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer in its own JVM, for the tests of what a killed or concurrent writer leaves: writes 1 MiB to
 * {@code args[0]} through {@link AtomicFile}, prints "writing", waits for a line on stdin, writes "done", prints
 * "written" once the file is in place. A test kills it (SIGKILL) mid-write, or lets it finish.
 */
public final class SlowAtomicWriter {
    private SlowAtomicWriter() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        AtomicFile.write(Path.of(args[0]), out -> {
            out.write(new byte[1 << 20]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            in.readLine();
            out.write("done".getBytes(StandardCharsets.US_ASCII));
        });
        System.out.println("written");
        System.out.flush();
    }

    /** Starts the writer in a new JVM on the test class path and waits until it is in the middle of its write. */
    public static Process start(Path target) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SlowAtomicWriter.class.getName(), target.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"writing".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the writer did not start writing: " + line);
        }
        return process;
    }
}
