// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.klplsp.check.FixtureKernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Broken modules in a module tree are skipped and named, and never hide or stop anything else. */
class BrokenModulesTest {
    @TempDir
    Path tmp;

    private static byte[] compress(byte[] data, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (format) {
            case "gz" -> new GZIPOutputStream(bytes);
            case "xz" -> new XZOutputStream(bytes, new LZMA2Options(0));
            case "zst" -> new ZstdOutputStream(bytes);
            default -> throw new IllegalArgumentException(format);
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /**
     * 130 MiB of zeros in a few hundred KB: one compressed MiB repeated (gzip members, xz streams and zstd
     * frames may be concatenated, and each decompressor reads on across them).
     */
    private static byte[] bomb(String format) throws IOException {
        byte[] member = compress(new byte[1 << 20], format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 130; i++) {
            out.write(member);
        }
        return out.toByteArray();
    }

    private static KernelIndex index(Path modules) {
        return KernelIndexLoader.load(KernelSources.ofSymbols(FixtureKernel.kernelDir().resolve("System.map"))
                .withModules(modules), IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    @Test
    void decompressionBombsAreSkippedAndNamedLikeAnyBrokenModule() throws IOException {
        Path modules = Files.createDirectories(tmp.resolve("lib/modules/6.1.0-fixture/kernel"));
        Files.copy(FixtureKernel.kernelDir().resolve("nvram.ko"), modules.resolve("nvram.ko"));
        for (String format : List.of("gz", "xz", "zst")) {
            Files.write(modules.resolve("bomb_" + format + ".ko." + format), bomb(format));
        }
        KernelIndex index = index(modules);
        assertEquals(1, index.lookup("nvram", "nvram_size").size(), "the good module is indexed");
        for (String format : List.of("gz", "xz", "zst")) {
            Path bomb = modules.resolve("bomb_" + format + ".ko." + format);
            assertTrue(index.warnings().stream().anyMatch(w -> w.toString().contains(bomb + ": skipped: decompresses to"
                    + " more than 128 MiB, the limit (corrupt, or a decompression bomb)")), index.warnings().toString());
        }
    }

    @Test
    void aCorruptDuplicateDoesNotHideAReadableCopy() throws IOException {
        Path modules = Files.createDirectories(tmp.resolve("modules"));
        byte[] nvram = Files.readAllBytes(FixtureKernel.kernelDir().resolve("nvram.ko"));
        Files.write(modules.resolve("nvram.ko.xz"), compress(nvram, "xz"));
        byte[] gz = compress(nvram, "gz");
        Files.write(modules.resolve("nvram.ko.gz"), Arrays.copyOf(gz, gz.length / 2));
        KernelIndex index = index(modules);
        assertEquals(1, index.lookup("nvram", "nvram_size").size(), index.warnings().toString());
        String warnings = index.warnings().toString();
        assertTrue(warnings.contains(modules.resolve("nvram.ko.gz") + ": skipped: corrupt compressed data"), warnings);
        assertTrue(warnings.contains("module nvram also in " + modules.resolve("nvram.ko.gz")) == false, warnings);
    }
}
