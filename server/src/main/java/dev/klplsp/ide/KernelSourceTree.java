// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.kernel.SourceLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The kernel source tree the editor opens and {@code lookup --inlines} points into ({@code kernelSource},
 * {@code --kernel-source}: an unpacked {@code linux-source}, a build tree),
 * with the version it holds: the upstream version from its {@code Makefile} ({@code 6.1.192}), and Debian's
 * package version when the tree is where Debian's {@code linux-source} package unpacks ({@code
 * /usr/src/linux-source-6.1} beside {@code /usr/share/doc/linux-source-6.1/changelog.Debian.gz}). Debian's
 * source package and its kernel images can differ in version (6.1.192-3 against the 6.1.0-56 image's 6.1.192-2),
 * so a location says which version its line is of.
 */
public record KernelSourceTree(Path root, Optional<String> version) {
    private static final Pattern MAKE_VARIABLE = Pattern.compile("(?m)^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)"
            + "\\s*=[ \\t]*(\\S*)[ \\t]*$");
    private static final Pattern CHANGELOG = Pattern.compile("^\\S+ \\(([^)\\s]+)\\)");
    /** More than the head of any Makefile or changelog line needs. */
    private static final int HEAD_BYTES = 4096;

    /** The tree at {@code root} with its version, or empty without a root. */
    public static Optional<KernelSourceTree> of(Optional<Path> root) {
        return root.map(dir -> new KernelSourceTree(dir.toAbsolutePath().normalize(), version(dir)));
    }

    /** The build a kernel's debug information describes, as a location names it: {@code the 6.1.0-56-amd64 build}. */
    public static String build(Optional<String> release) {
        return release.map(known -> "the " + known + " build").orElse("the kernel build");
    }

    /**
     * Where a debug-information line is: a relative path below the tree's root, an absolute one (a build tree
     * compiled in place) as it is, with or without a tree; only existing regular files.
     *
     * @param build the kernel build whose debug information names the line ({@code the 6.1.0-56-amd64 build})
     */
    public static Optional<SourceLocation> locate(Optional<KernelSourceTree> tree, SourceLine line, String build) {
        Path file;
        try {
            Path written = Path.of(line.file());
            if (written.isAbsolute()) {
                file = written.normalize();
            } else if (tree.isPresent()) {
                file = tree.get().root().resolve(written).normalize();
                if (!file.startsWith(tree.get().root())) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String version = "line of " + build + "'s sources" + tree.filter(t -> file.startsWith(t.root()))
                .flatMap(KernelSourceTree::version).map(v -> "; this tree is " + v).orElse("");
        return Optional.of(new SourceLocation(file, Math.max(1, line.line()), version));
    }

    /** {@code Debian 6.1.192-3} or {@code 6.1.192} (Makefile), when known. */
    private static Optional<String> version(Path root) {
        Optional<String> debian = debianVersion(root);
        if (debian.isPresent()) {
            return debian;
        }
        Optional<String> head = head(root.resolve("Makefile"), false);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        String version = null;
        String patchLevel = null;
        String subLevel = null;
        String extra = "";
        Matcher matcher = MAKE_VARIABLE.matcher(head.get());
        while (matcher.find()) {
            switch (matcher.group(1)) {
                case "VERSION" -> version = matcher.group(2);
                case "PATCHLEVEL" -> patchLevel = matcher.group(2);
                case "SUBLEVEL" -> subLevel = matcher.group(2);
                default -> extra = matcher.group(2);
            }
        }
        if (version == null || patchLevel == null) {
            return Optional.empty();
        }
        return Optional.of(version + "." + patchLevel + (subLevel == null || subLevel.isEmpty() ? "" : "." + subLevel)
                + extra);
    }

    /** Debian's {@code linux-source-X} unpacked at {@code .../src/linux-source-X}: its package's changelog. */
    private static Optional<String> debianVersion(Path root) {
        Path src = root.getParent();
        Path usr = src == null ? null : src.getParent();
        if (usr == null || root.getFileName() == null) {
            return Optional.empty();
        }
        Path changelog = usr.resolve("share/doc").resolve(root.getFileName().toString()).resolve("changelog.Debian.gz");
        return head(changelog, true).flatMap(text -> {
            Matcher matcher = CHANGELOG.matcher(text);
            return matcher.find() ? Optional.of("Debian " + matcher.group(1)) : Optional.empty();
        });
    }

    /** The first bytes of a regular file (decompressed), as text; empty when it cannot be read. */
    private static Optional<String> head(Path file, boolean gzip) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            return Optional.of(new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
