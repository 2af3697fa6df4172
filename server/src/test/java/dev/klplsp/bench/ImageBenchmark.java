// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Benchmark (not a test) of indexing a kernel from its image: one measurement per JVM, so every run is cold (no
 * index cache; the file itself is in the page cache). Run through server/bench/image-bench.sh.
 *
 * <pre>
 * ImageBenchmark index VMLINUZ     index vmlinux from the image: decompress, find and decode kallsyms, count sympos
 * ImageBenchmark xz VMLINUZ        only decompress the payload with the same xz library: the floor of "index"
 * ImageBenchmark payload VMLINUZ F write the compressed payload to F (for timing the native xz on it)
 * ImageBenchmark package DEB       index a whole image package (.deb): vmlinux and every module
 * </pre>
 *
 * Prints one line: {@code mode=index ms=1234 symbols=...}.
 */
public final class ImageBenchmark {
    private ImageBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            Rounds.fail("usage: ImageBenchmark index|package|xz|payload FILE [OUT]");
        }
        String mode = args[0];
        Path file = Rounds.requireInput(Path.of(args[1]), "the vmlinuz or image package to read");
        long start = System.nanoTime();
        String what;
        switch (mode) {
            case "index", "package" -> {
                KernelSources sources = mode.equals("index") ? KernelSources.ofSymbols(file)
                        : KernelSources.ofKernel(file.toString());
                KernelIndex index = KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
                what = "symbols=" + index.symbolCount() + " vmlinux=" + index.symbolCount(KernelSymbol.VMLINUX)
                        + " objects=" + index.objects().size();
            }
            case "xz" -> {
                byte[] payload = payload(Files.readAllBytes(file));
                long total = 0;
                try (InputStream in = new SingleXZInputStream(new ByteArrayInputStream(payload, 0,
                        payload.length - 4))) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                    }
                }
                what = "decompressedBytes=" + total;
            }
            case "payload" -> {
                byte[] payload = payload(Files.readAllBytes(file));
                Files.write(Path.of(args[2]), java.util.Arrays.copyOf(payload, payload.length - 4));
                what = "payloadBytes=" + (payload.length - 4);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.printf("mode=%s ms=%d %s%n", mode, (System.nanoTime() - start) / 1_000_000, what);
    }

    /** The payload of a bzImage as its setup header places it (Documentation/x86/boot.rst), size trailer included. */
    private static byte[] payload(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int setupSects = image[0x1f1] & 0xff;
        int start = (setupSects == 0 ? 5 : setupSects + 1) * 512 + b.getInt(0x248);
        return java.util.Arrays.copyOfRange(image, start, start + b.getInt(0x24c));
    }
}
