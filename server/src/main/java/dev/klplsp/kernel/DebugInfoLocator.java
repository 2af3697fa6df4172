// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.elf.ElfSymbolFile.SectionInfo;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the file holding the debug information of a kernel object ("vmlinux" or a module name), in order:
 * <ol>
 * <li>explicit files (told apart by ELF type: an executable is vmlinux, a relocatable file the module its file
 * name says) and directories (searched recursively for {@code .ko} and {@code .ko.debug}; vmlinux as
 * {@code vmlinux}, {@code vmlinux-<release>}, {@code boot/vmlinux-<release>} or
 * {@code lib/modules/<release>/vmlinux} below them, so a debug root such as {@code /usr/lib/debug} works);</li>
 * <li>the kernel build tree ({@code vmlinux}, every {@code .ko} below it);</li>
 * <li>the release's debug package under the root: Debian's {@code usr/lib/debug/boot/vmlinux-<release>} and
 * {@code usr/lib/debug/lib/modules/<release>/}, Fedora's {@code usr/lib/debug/lib/modules/<release>/vmlinux}
 * and {@code .ko.debug} files;</li>
 * <li>a vmlinux the symbol index reads, when it has debug sections.</li>
 * </ol>
 * A candidate counts only when it has a {@code .debug_info} with data (a stripped module has none). Among
 * module files of one name, those under a {@code /<release>/} directory come first. Directories are walked
 * once, on the first lookup of a module. Thread-safe.
 */
public final class DebugInfoLocator {
    private final Optional<String> release;
    private final List<Path> vmlinuxCandidates = new ArrayList<>();
    private final Map<String, List<Path>> explicitModules = new HashMap<>();
    private final List<Path> directories = new ArrayList<>();
    private Map<String, List<Path>> modulesByName;

    private DebugInfoLocator(Optional<String> release) {
        this.release = release;
    }

    /**
     * The locations for a kernel as {@link KernelSources#resolve()} found it, after the explicit files and
     * directories, which must exist (a file must be an ELF file).
     */
    public static DebugInfoLocator of(KernelSources.Resolved kernel, List<Path> explicit) {
        DebugInfoLocator locator = new DebugInfoLocator(kernel.release());
        for (Path path : explicit) {
            if (Files.isDirectory(path)) {
                locator.directories.add(path);
                locator.vmlinuxCandidates.add(path.resolve("vmlinux"));
                kernel.release().ifPresent(release -> {
                    locator.vmlinuxCandidates.add(path.resolve("vmlinux-" + release));
                    locator.vmlinuxCandidates.add(path.resolve("boot/vmlinux-" + release));
                    locator.vmlinuxCandidates.add(path.resolve("lib/modules/" + release + "/vmlinux"));
                });
            } else if (Files.isRegularFile(path)) {
                if (ElfSectionFile.open(path).type() == Elf.ET_REL) {
                    locator.explicitModules.computeIfAbsent(ElfSymbolSource.moduleName(path), m -> new ArrayList<>())
                            .add(path);
                } else {
                    locator.vmlinuxCandidates.add(path);
                }
            } else {
                throw new SymbolSourceException(path, Files.exists(path) ? "is neither a file nor a directory"
                        : "does not exist (given as debug information)");
            }
        }
        kernel.buildTree().ifPresent(tree -> {
            locator.vmlinuxCandidates.add(tree.resolve("vmlinux"));
            locator.directories.add(tree);
        });
        if (kernel.release().isPresent() && kernel.root().isPresent()) {
            Path debug = kernel.root().get().resolve("usr/lib/debug");
            String release = kernel.release().get();
            locator.vmlinuxCandidates.add(debug.resolve("boot/vmlinux-" + release));
            locator.vmlinuxCandidates.add(debug.resolve("lib/modules/" + release + "/vmlinux"));
            locator.directories.add(debug.resolve("lib/modules/" + release));
        }
        for (KernelSources.Source source : kernel.vmlinuxSources()) {
            if (source.is(InputFiles.Format.VMLINUX_ELF)) {
                locator.vmlinuxCandidates.add(source.path());
            }
        }
        return locator;
    }

    /** The kernel release the locations were derived from, when known. */
    public Optional<String> release() {
        return release;
    }

    /** The debug file of an object, when one with debug sections is found. */
    public Optional<Path> find(String object) {
        for (Path candidate : candidates(object)) {
            if (hasDebugInfo(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The existing files considered for an object, in order (a message can say where it looked). */
    public List<Path> candidates(String object) {
        Set<Path> all = new LinkedHashSet<>();
        if (object.equals(KernelSymbol.VMLINUX)) {
            all.addAll(vmlinuxCandidates);
        } else {
            all.addAll(explicitModules.getOrDefault(object, List.of()));
            all.addAll(modules().getOrDefault(object, List.of()));
        }
        List<Path> existing = new ArrayList<>();
        for (Path path : all) {
            if (Files.isRegularFile(path)) {
                existing.add(path);
            }
        }
        return existing;
    }

    /** The directories searched for module debug files, in order. */
    public List<Path> directories() {
        return List.copyOf(directories);
    }

    private static boolean isModuleFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".ko") || name.endsWith(".ko.debug");
    }

    /** Module files by module name, over all directories in order (walked on first use). */
    private synchronized Map<String, List<Path>> modules() {
        if (modulesByName == null) {
            Map<String, List<Path>> found = new HashMap<>();
            for (Path dir : directories) {
                List<Path> files = walk(dir);
                // A debug root may hold several releases: this kernel's first.
                String marker = release.map(r -> "/" + r + "/").orElse(null);
                files.sort(Comparator.comparing((Path file) -> marker == null
                        || !file.toAbsolutePath().toString().contains(marker)).thenComparing(Path::toString));
                for (Path file : files) {
                    found.computeIfAbsent(ElfSymbolSource.moduleName(file), name -> new ArrayList<>()).add(file);
                }
            }
            modulesByName = found;
        }
        return modulesByName;
    }

    private static List<Path> walk(Path dir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try {
            // Symlinks are not followed: a modules directory's build/ link points at a whole source tree.
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && isModuleFile(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SymbolSourceException(dir, "cannot list debug files: " + KlpException.reason(e), e);
        }
        return files;
    }

    /** Whether a file is an ELF file with a {@code .debug_info} that holds data. */
    static boolean hasDebugInfo(Path file) {
        try {
            Optional<SectionInfo> info = ElfSectionFile.open(file).find(".debug_info");
            return info.isPresent() && info.get().type() != Elf.SHT_NOBITS && info.get().size() > 0;
        } catch (KlpException e) {
            return false;
        }
    }
}
