// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a kernel's symbols come from, as the user named them.
 *
 * @param kernel         a kernel build tree, a modules directory ({@code /lib/modules/<release>}), a root
 *                       holding {@code boot/} and {@code lib/modules/<release>/} (e.g. where {@code dpkg-deb -x}
 *                       unpacked an image package), a kernel image package ({@code .deb}) itself, or a release
 *                       string such as {@code 6.1.0-56-amd64} looked up under {@code root}
 * @param symbols        vmlinux ELF, vmlinuz, System.map, /proc/kallsyms dump, symbols.klp, Module.symvers,
 *                       modules.builtin or single modules — each detected by content
 * @param modules        directories searched recursively for .ko, .ko.xz, .ko.zst, .ko.gz
 * @param symvers        Module.symvers (plain or gzip)
 * @param modulesBuiltin modules.builtin
 * @param root           the file system root a release is looked up under ({@code /} when empty); lets
 *                       tests and unpacked images use {@code <root>/boot}, {@code <root>/lib/modules}...
 */
public record KernelSources(Optional<String> kernel, List<Path> symbols, List<Path> modules,
        Optional<Path> symvers, Optional<Path> modulesBuiltin, Optional<Path> root) {

    public KernelSources {
        symbols = List.copyOf(symbols);
        modules = List.copyOf(modules);
    }

    public KernelSources(Optional<String> kernel, List<Path> symbols, List<Path> modules, Optional<Path> symvers,
            Optional<Path> modulesBuiltin) {
        this(kernel, symbols, modules, symvers, modulesBuiltin, Optional.empty());
    }

    public static KernelSources ofKernel(String kernel) {
        return new KernelSources(Optional.of(kernel), List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    public static KernelSources ofSymbols(Path... symbols) {
        return new KernelSources(Optional.empty(), List.of(symbols), List.of(), Optional.empty(), Optional.empty());
    }

    public KernelSources withModules(Path... dirs) {
        List<Path> all = new ArrayList<>(modules);
        all.addAll(List.of(dirs));
        return new KernelSources(kernel, symbols, all, symvers, modulesBuiltin, root);
    }

    public KernelSources withSymvers(Path file) {
        return new KernelSources(kernel, symbols, modules, Optional.of(file), modulesBuiltin, root);
    }

    public KernelSources withRoot(Path rootDir) {
        return new KernelSources(kernel, symbols, modules, symvers, modulesBuiltin, Optional.of(rootDir));
    }

    public boolean isEmpty() {
        return kernel.isEmpty() && symbols.isEmpty() && modules.isEmpty() && symvers.isEmpty()
                && modulesBuiltin.isEmpty();
    }

    /**
     * Concrete files, each with its format known. Explicit files come before discovered ones: the first
     * vmlinux source is the one the index counts with, later ones are cross-checked.
     *
     * @param vmlinuxSources vmlinux ELF, vmlinuz, System.map or kallsyms dump files, with their formats
     * @param imagePackage   a kernel image package (.deb) read whole: its vmlinuz counts like a discovered
     *                       vmlinux source, its modules and modules.builtin are indexed
     * @param root           the file system root a release was looked up under (release or modules directory
     *                       given), where its debug files live too
     * @param buildTree      the kernel build tree, when one was given
     */
    public record Resolved(Optional<String> release, List<Source> vmlinuxSources, List<Path> symbolsKlp,
            List<Path> moduleDirs, List<Path> moduleFiles, Optional<Path> symvers, Optional<Path> modulesBuiltin,
            List<IndexWarning> warnings, Optional<Path> imagePackage, Optional<Path> root, Optional<Path> buildTree) {

        /** Every input path, for the cache key. */
        public List<Path> inputPaths() {
            List<Path> all = new ArrayList<>();
            imagePackage.ifPresent(all::add);
            for (Source source : vmlinuxSources) {
                all.add(source.path());
            }
            all.addAll(symbolsKlp);
            all.addAll(moduleDirs);
            all.addAll(moduleFiles);
            symvers.ifPresent(all::add);
            modulesBuiltin.ifPresent(all::add);
            return all;
        }
    }

    /** A file and its detected format. */
    public record Source(Path path, String format) {
        boolean is(InputFiles.Format f) {
            return format.equals(f.name());
        }

        /** The format in words: {@code vmlinux ELF}, {@code System.map}, {@code x86 kernel image (vmlinuz)}... */
        public String description() {
            return InputFiles.Format.valueOf(format).description;
        }
    }

    public Resolved resolve() {
        if (isEmpty()) {
            throw new SymbolSourceException(null, "no kernel given: name a kernel (build tree, modules directory,"
                    + " or release) or symbol files");
        }
        Optional<String> release = Optional.empty();
        Optional<Path> releaseRoot = Optional.empty();
        Optional<Path> buildTree = Optional.empty();
        List<Source> vmlinux = new ArrayList<>();
        List<Path> symbolsKlp = new ArrayList<>();
        List<Path> moduleDirs = new ArrayList<>();
        List<Path> moduleFiles = new ArrayList<>();
        List<IndexWarning> warnings = new ArrayList<>();
        Path imagePackage = null;
        Path symversFile = symvers.map(p -> requireExists(p, "Module.symvers")).orElse(null);
        Path builtinFile = modulesBuiltin.map(p -> requireExists(p, "modules.builtin")).orElse(null);

        for (Path file : symbols) {
            requireExists(file, "a symbol file");
            if (Files.isDirectory(file)) {
                throw new SymbolSourceException(file, "is a directory, not a symbol file (" + InputFiles.ACCEPTED
                        + "); give module directories as modules");
            }
            InputFiles.Format format = InputFiles.detect(file);
            switch (format) {
                case VMLINUX_ELF, KERNEL_IMAGE, SYSTEM_MAP, KALLSYMS -> vmlinux.add(new Source(file, format.name()));
                case SYMBOLS_KLP -> symbolsKlp.add(file);
                case MODULE_ELF -> moduleFiles.add(file);
                case SYMVERS -> symversFile = symversFile == null ? file : symversFile;
                case MODULES_BUILTIN -> builtinFile = builtinFile == null ? file : builtinFile;
                default -> throw new IllegalStateException(format.name());
            }
        }
        for (Path dir : modules) {
            requireExists(dir, "a module directory");
            if (!Files.isDirectory(dir)) {
                throw new SymbolSourceException(dir, "is not a directory; module directories are searched for"
                        + " .ko, .ko.xz, .ko.zst and .ko.gz files (give single files as symbol files)");
            }
            moduleDirs.add(dir);
        }
        if (kernel.isPresent()) {
            Discovered found = discover(kernel.get(), root.orElse(Paths.get("/")));
            release = found.release;
            releaseRoot = Optional.ofNullable(found.root);
            buildTree = Optional.ofNullable(found.buildTree);
            if (found.vmlinux != null && vmlinux.stream().noneMatch(s -> !s.is(InputFiles.Format.KALLSYMS))) {
                vmlinux.add(found.vmlinux);
            }
            if (found.modules != null && !moduleDirs.contains(found.modules)) {
                moduleDirs.add(found.modules);
            }
            symversFile = symversFile == null ? found.symvers : symversFile;
            builtinFile = builtinFile == null ? found.builtin : builtinFile;
            imagePackage = found.imagePackage;
            warnings.addAll(found.warnings);
        }
        return new Resolved(release, List.copyOf(vmlinux), List.copyOf(symbolsKlp), List.copyOf(moduleDirs),
                List.copyOf(moduleFiles), Optional.ofNullable(symversFile), Optional.ofNullable(builtinFile),
                List.copyOf(warnings), Optional.ofNullable(imagePackage), releaseRoot, buildTree);
    }

    private static Path requireExists(Path path, String what) {
        if (!Files.exists(path)) {
            throw new SymbolSourceException(path, "does not exist (given as " + what + ")");
        }
        return path;
    }

    private static final class Discovered {
        Optional<String> release = Optional.empty();
        Path root;
        Path buildTree;
        Source vmlinux;
        Path modules;
        Path symvers;
        Path builtin;
        Path imagePackage;
        List<IndexWarning> warnings = new ArrayList<>();
    }

    private static Discovered discover(String kernel, Path root) {
        Path asPath = Paths.get(kernel);
        Discovered found = new Discovered();
        if (Files.isDirectory(asPath)) {
            if (isBuildTree(asPath)) {
                found.buildTree = asPath;
                found.vmlinux = firstVmlinux(found, asPath.resolve("vmlinux"), asPath.resolve("System.map"));
                found.modules = asPath;
                found.symvers = existing(asPath.resolve("Module.symvers"));
                found.builtin = existing(asPath.resolve("modules.builtin"));
                return found;
            }
            if (isModulesDir(asPath)) {
                String release = asPath.toAbsolutePath().normalize().getFileName().toString();
                Path modulesParent = asPath.toAbsolutePath().normalize().getParent();
                // <root>/lib/modules/<release>: the boot and debug files live under the same root.
                Path guessedRoot = modulesParent != null && modulesParent.getFileName() != null
                        && modulesParent.getFileName().toString().equals("modules")
                        && modulesParent.getParent() != null && modulesParent.getParent().getParent() != null
                        ? modulesParent.getParent().getParent() : root;
                return discoverRelease(release, guessedRoot, asPath);
            }
            Path libModules = asPath.resolve("lib/modules");
            if (Files.isDirectory(libModules)) {
                List<Path> releases = list(libModules).stream().filter(Files::isDirectory).toList();
                if (releases.size() == 1) {
                    return discoverRelease(releases.get(0).getFileName().toString(), asPath, releases.get(0));
                }
                throw new SymbolSourceException(asPath, "holds " + releases.size() + " releases under lib/modules;"
                        + " name one release as the kernel, with this directory as its root");
            }
            throw new SymbolSourceException(asPath, "is neither a kernel build tree (vmlinux, System.map or"
                    + " Module.symvers), a modules directory (kernel/, modules.order) nor a root with lib/modules/");
        }
        if (Files.isRegularFile(asPath) && ImagePackageSource.isPackage(asPath)) {
            found.imagePackage = asPath;
            found.release = ImagePackageSource.releaseFromFileName(asPath);
            return found;
        }
        if (Files.isRegularFile(asPath) && vmlinuxFormat(asPath) != null) {
            // A kernel named by its image or symbol map alone (--kernel /boot/vmlinuz-6.1.0-47-amd64), so that
            // each of several --kernel options can be one: the file is its vmlinux source.
            found.vmlinux = new Source(asPath, vmlinuxFormat(asPath).name());
            return found;
        }
        if (kernel.contains("/") || Files.exists(asPath)) {
            throw new SymbolSourceException(asPath, Files.exists(asPath) ? "is a file but not a kernel image package"
                    + " (.deb) nor a vmlinuz, vmlinux, System.map or kallsyms dump; a kernel is a build tree, a"
                    + " modules directory, an image package, one of those files or a release (give other files as"
                    + " symbol files)" : "does not exist");
        }
        Path modulesDir = root.resolve("lib/modules").resolve(kernel);
        Discovered byRelease = discoverRelease(kernel, root, Files.isDirectory(modulesDir) ? modulesDir : null);
        if (byRelease.vmlinux == null && byRelease.modules == null) {
            throw new SymbolSourceException(root, "no kernel " + kernel + " found: looked for "
                    + root.resolve("lib/modules").resolve(kernel) + ", " + root.resolve("boot/vmlinuz-" + kernel)
                    + ", " + root.resolve("boot/System.map-" + kernel)
                    + ", " + root.resolve("usr/lib/debug/boot/vmlinux-" + kernel));
        }
        return byRelease;
    }

    private static Discovered discoverRelease(String release, Path root, Path modulesDir) {
        Discovered found = new Discovered();
        found.release = Optional.of(release);
        found.root = root;
        found.modules = modulesDir;
        found.vmlinux = firstVmlinux(found,
                root.resolve("usr/lib/debug/boot/vmlinux-" + release),
                root.resolve("usr/lib/debug/lib/modules/" + release + "/vmlinux"),
                root.resolve("boot/vmlinux-" + release),
                root.resolve("usr/lib/debug/boot/System.map-" + release),
                // The image's kallsyms tables before /boot/System.map, which on Debian is a placeholder.
                root.resolve("boot/vmlinuz-" + release),
                root.resolve("boot/System.map-" + release));
        if (found.vmlinux == null) {
            found.warnings.add(IndexWarning.of("no-vmlinux-symbols", root, "no vmlinux symbols found for " + release
                    + " (no readable boot/vmlinuz-" + release + "; install linux-image-" + release + "-dbg, or give"
                    + " a System.map or /proc/kallsyms dump as a symbol file); only modules are indexed"));
        }
        if (modulesDir != null) {
            found.builtin = existing(modulesDir.resolve("modules.builtin"));
        }
        found.symvers = firstExisting(
                root.resolve("usr/src/linux-headers-" + release + "/Module.symvers"),
                modulesDir == null ? null : modulesDir.resolve("build/Module.symvers"),
                root.resolve("boot/symvers-" + release + ".gz"));
        return found;
    }

    /**
     * The first usable vmlinux source among candidates; an unusable one (Debian's 83-byte placeholder System.map,
     * a vmlinuz only root may read) is skipped with a warning. A vmlinuz is taken by its header here; its tables
     * are decoded when the index is built.
     */
    private static Source firstVmlinux(Discovered found, Path... candidates) {
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            try {
                InputFiles.Format format = InputFiles.detect(candidate);
                if (format == InputFiles.Format.VMLINUX_ELF || format == InputFiles.Format.KERNEL_IMAGE
                        || format == InputFiles.Format.SYSTEM_MAP || format == InputFiles.Format.KALLSYMS) {
                    return new Source(candidate, format.name());
                }
            } catch (SymbolSourceException e) {
                found.warnings.add(IndexWarning.of("unusable-vmlinux-source", candidate, e.getMessage()));
            }
        }
        return null;
    }

    /** The format of a file that holds a kernel's vmlinux symbols, or null for any other file. */
    private static InputFiles.Format vmlinuxFormat(Path file) {
        try {
            InputFiles.Format format = InputFiles.detect(file);
            return format == InputFiles.Format.VMLINUX_ELF || format == InputFiles.Format.KERNEL_IMAGE
                    || format == InputFiles.Format.SYSTEM_MAP || format == InputFiles.Format.KALLSYMS ? format : null;
        } catch (SymbolSourceException e) {
            return null;
        }
    }

    private static boolean isBuildTree(Path dir) {
        return Files.isRegularFile(dir.resolve("vmlinux")) || Files.isRegularFile(dir.resolve("System.map"))
                || (Files.isRegularFile(dir.resolve("Module.symvers")) && Files.isRegularFile(dir.resolve("Makefile")));
    }

    /** Whether {@code dir} is a modules directory ({@code /lib/modules/<release>}) with modules in it. */
    public static boolean isModulesDir(Path dir) {
        return Files.isRegularFile(dir.resolve("modules.order")) || Files.isRegularFile(dir.resolve("modules.dep"))
                || Files.isRegularFile(dir.resolve("modules.builtin")) || Files.isDirectory(dir.resolve("kernel"));
    }

    private static Path existing(Path path) {
        return path != null && Files.isRegularFile(path) ? path : null;
    }

    private static Path firstExisting(Path... paths) {
        for (Path path : paths) {
            if (existing(path) != null) {
                return path;
            }
        }
        return null;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new SymbolSourceException(dir, "cannot list: " + KlpException.reason(e), e);
        }
    }
}
