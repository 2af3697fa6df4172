// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.SpecialFiles;
import dev.klplsp.check.FixtureKernel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Special and huge inputs are input errors at once (exit 3), for every kind of input: a module, a symbol file, a
 * module tree, the project file. Device nodes are mknod copies in a temp directory, never the system's.
 */
class SpecialInputsCommandTest {
    @TempDir
    Path temp;

    private final List<Path> fifos = new ArrayList<>();

    record Run(int exitCode, String out, String err) {
    }

    /** Runs a command, failing (not hanging) when it takes more than 20 seconds. */
    private static Run run(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
            return new Run(code, out.toString(), err.toString());
        });
    }

    private Path fifo(String name) {
        Path fifo = SpecialFiles.fifo(temp.resolve(name));
        fifos.add(fifo);
        return fifo;
    }

    /**
     * A reader stuck in open() on a fifo (the defect under test) is released by opening the other end. The fifo is
     * opened read-write, which Linux never blocks on, and without O_CREAT: a writer thread opening it later (after
     * the temp directory's cleanup removed the fifo) would create a regular file there and fail that cleanup.
     */
    @AfterEach
    void releaseFifoReaders() throws IOException {
        for (Path fifo : fifos) {
            try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // opening is all it takes
            }
        }
    }

    private static void assertInputError(Run run, Path file, String problem) {
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().startsWith("klp-lsp: error: " + file + ": " + problem), run.err());
    }

    @Test
    void elfOfACopyOfDevZeroIsAnInputError() {
        Path zero = SpecialFiles.characterDevice(temp.resolve("zero.ko"), 1, 5);
        assertInputError(run("elf", zero.toString()), zero, "is a character device, not a regular file");
    }

    @Test
    void elfOfACopyOfDevUrandomIsAnInputError() {
        Path urandom = SpecialFiles.characterDevice(temp.resolve("urandom.ko"), 1, 9);
        assertInputError(run("elf", urandom.toString()), urandom, "is a character device, not a regular file");
    }

    @Test
    void elfOfAFifoIsAnInputError() {
        Path fifo = fifo("f.ko");
        assertInputError(run("elf", fifo.toString()), fifo, "is a fifo (named pipe), not a regular file");
    }

    @Test
    void elfOfA3GiBSparseFileIsAnInputError() {
        Path big = SpecialFiles.sparse(temp.resolve("big.ko"), 3L << 30);
        assertInputError(run("elf", big.toString()), big, "is 3,221,225,472 bytes; klp-lsp reads ELF objects of at"
                + " most 1 GiB");
    }

    @Test
    void checkOfAFifoModuleIsAnInputError() {
        Path fifo = fifo("f.ko");
        assertInputError(run("check", fifo.toString(), "--kernel", FixtureKernel.kernelDir().toString(),
                "--no-cache"), fifo, "is a fifo (named pipe), not a regular file");
    }

    @Test
    void aFifoOrDeviceAsASymbolFileIsAnInputError() {
        Path fifo = fifo("System.map");
        assertInputError(run("index", "--symbols", fifo.toString(), "--no-cache"), fifo,
                "is a fifo (named pipe), not a regular file");
        Path zero = SpecialFiles.characterDevice(temp.resolve("kallsyms"), 1, 5);
        assertInputError(run("index", "--symbols", zero.toString(), "--no-cache"), zero,
                "is a character device, not a regular file");
    }

    @Test
    void aHugeSymbolFileIsAnInputError() throws IOException {
        // A System.map of 1 GiB: its format is told from its first line, then its size refuses it.
        Path big = Files.writeString(temp.resolve("System.map"), "ffffffff81000000 T _text\n");
        SpecialFiles.sparse(big, 1L << 30);
        assertInputError(run("index", "--symbols", big.toString(), "--no-cache"), big,
                "is 1,073,741,824 bytes; klp-lsp reads symbol files of at most 128 MiB");
        // Past 2 GiB nothing is a symbol source, not even a vmlinux.
        Path huge = SpecialFiles.sparse(temp.resolve("vmlinux"), 3L << 30);
        assertInputError(run("index", "--symbols", huge.toString(), "--no-cache"), huge,
                "is 3,221,225,472 bytes; klp-lsp reads symbol sources of at most 2,147,483,647 bytes");
    }

    @Test
    void aHugeCompressedModuleInATreeIsSkippedAndNamed() throws IOException {
        Path modules = Files.createDirectories(temp.resolve("modules/kernel"));
        Files.copy(FixtureKernel.kernelDir().resolve("nvram.ko"), modules.resolve("nvram.ko"));
        Path big = SpecialFiles.sparse(modules.resolve("big.ko.xz"), 3L << 30);
        Run run = run("index", "--symbols", FixtureKernel.kernelDir().resolve("System.map").toString(),
                "--modules", temp.resolve("modules").toString(), "--no-cache");
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue((run.out() + run.err()).contains(big + ": skipped: is 3,221,225,472 bytes"), run.out() + run.err());
    }

    @Test
    void aHugeProjectFileIsAnInputError() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("project"));
        Path module = Files.copy(FixtureKernel.exampleModule(), dir.resolve("livepatch-example.ko"));
        Path project = SpecialFiles.sparse(dir.resolve(".klp-lsp.json"), 3L << 30);
        assertInputError(run("check", module.toString(), "--kernel", FixtureKernel.kernelDir().toString(),
                "--no-cache"), project, "is 3,221,225,472 bytes; klp-lsp reads project files of at most 1 MiB");
    }
}
