// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.SpecialFiles;
import dev.klplsp.check.FixtureKernel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `convert` writes: through /dev/null, never over a special file or through a link; in place keeps mode. */
class ConvertOutputTest {
    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {
    }

    private static Run convert(Path module, String... output) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[output.length + 5];
        args[0] = "convert";
        args[1] = module.toString();
        System.arraycopy(output, 0, args, 2, output.length);
        args[output.length + 2] = "--kernel";
        args[output.length + 3] = FixtureKernel.kernelDir().toString();
        args[output.length + 4] = "--no-cache";
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static int attribute(Path file, String name) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void convertOntoACopyOfDevNullWritesThroughIt() throws IOException {
        Path devNull = SpecialFiles.characterDevice(temp.resolve("devnull"), 1, 3);
        Run run = convert(FixtureKernel.exampleModule(), "-o", devNull.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(SpecialFiles.isCharacterDevice(devNull), "devnull must stay a device node");
        assertEquals(0666, attribute(devNull, "mode") & 07777);
    }

    @Test
    void convertOntoAFifoIsAnInputErrorAndLeavesIt() throws IOException {
        Path fifo = SpecialFiles.fifo(temp.resolve("out.ko"));
        Run run = convert(FixtureKernel.exampleModule(), "-o", fifo.toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().startsWith("klp-lsp: error: " + fifo + ": is a fifo (named pipe); klp-lsp writes only"
                + " regular files"), run.err());
        assertEquals(0010000, attribute(fifo, "mode") & 0170000);
    }

    @Test
    void convertThroughASymbolicLinkIsRefused() throws IOException {
        Path elsewhere = Files.writeString(Files.createDirectories(temp.resolve("elsewhere")).resolve("victim.ko"),
                "keep");
        Path link = Files.createSymbolicLink(temp.resolve("out.ko"), elsewhere);
        Run run = convert(FixtureKernel.exampleModule(), "-o", link.toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(link + ": is a symbolic link (to " + elsewhere + ")"), run.err());
        assertEquals("keep", Files.readString(elsewhere));
    }

    @Test
    void convertInPlaceKeepsTheModulesModeOwnerAndGroup() throws IOException {
        Path module = Files.copy(FixtureKernel.exampleModule(), temp.resolve("m.ko"));
        byte[] before = Files.readAllBytes(module);
        Files.setAttribute(module, "unix:mode", 0644);
        Files.setAttribute(module, "unix:uid", 1000);
        Files.setAttribute(module, "unix:gid", 1000);
        Run run = convert(module, "--in-place");
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(Files.readAllBytes(module).length != before.length || !java.util.Arrays.equals(before,
                Files.readAllBytes(module)), "converted");
        assertEquals(0644, attribute(module, "mode") & 07777);
        assertEquals(1000, attribute(module, "uid"));
        assertEquals(1000, attribute(module, "gid"));
    }

    @Test
    void aNewOutputGetsTheUmaskMode() throws IOException {
        int umask = Integer.parseInt(dev.klplsp.testing.Processes.run("sh", "-c", "umask").strip(), 8);
        Path out = temp.resolve("new.ko");
        Run run = convert(FixtureKernel.exampleModule(), "-o", out.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertEquals(0666 & ~umask, attribute(out, "mode") & 07777);
    }
}
