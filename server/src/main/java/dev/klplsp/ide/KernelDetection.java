// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.SymbolSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel a workspace builds against when nothing is configured, and the kernels installed on the machine,
 * each with whether klp-lsp can index it. Every system path is looked up under a root ({@code /} for the real
 * machine, a directory in tests), so nothing here depends on the machine it runs on.
 *
 * <p>A kernel is <em>usable</em> when indexing it would give sympos for vmlinux: a readable vmlinux symbol source
 * (a debug vmlinux or System.map from the {@code -dbg} package, a readable {@code vmlinuz} whose kallsyms tables are
 * decoded, or a real {@code System.map}; Debian's placeholder System.map does not count) and, for an installed
 * release, its module tree ({@code lib/modules/<release>} with modules in it, not just the {@code build} link that
 * a headers package leaves).
 */
public final class KernelDetection {
    /** The real machine's root. */
    public static final Path SYSTEM_ROOT = Paths.get("/");
    /** The build files read, in this order, at the workspace root. */
    static final List<String> BUILD_FILES = List.of("Makefile", "GNUmakefile", "makefile", "Kbuild");
    /** More releases than anyone installs; a directory with more is listed only this far. */
    private static final int MAX_INSTALLED = 64;
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,99}");
    /** Build directories that name their release: kbuild's link, Debian's headers, Fedora's kernel-devel. */
    private static final List<Pattern> RELEASE_DIRECTORIES = List.of(
            Pattern.compile("^(?:.*/)?lib/modules/([^/]+)/(?:build|source)/*$"),
            Pattern.compile("^/usr/src/linux-headers-([^/]+)/*$"),
            Pattern.compile("^/usr/src/kernels/([^/]+)/*$"));

    /** Newest first: runs of digits compare as numbers, so 6.1.0-56 comes before 6.1.0-9. */
    static final Comparator<String> NEWEST_FIRST = ((Comparator<String>) KernelDetection::compareVersions).reversed();

    private KernelDetection() {
    }

    /**
     * A kernel and whether klp-lsp can index it.
     *
     * @param kernel  a release ({@code 6.1.0-56-amd64}) or a build tree's path, as a {@code kernel} setting names it
     * @param sources where its symbols come from (under the root)
     * @param running whether it is the running kernel
     * @param usable  whether indexing it gives vmlinux symbols (see the class comment)
     * @param detail  usable: what would be read; else what is missing
     */
    public record Candidate(String kernel, KernelSources sources, boolean running, boolean usable, String detail) {
    }

    /**
     * What {@link #detect} found.
     *
     * @param offer       the kernel to offer: present only when usable
     * @param origin      how it was found ("6.1.0-56-amd64 is the running kernel", "Makefile builds against ... (line
     *                    5)"), a clause for a prompt
     * @param explanation when nothing is offered, why, in one sentence
     */
    public record Detection(Optional<Candidate> offer, String origin, String explanation) {
    }

    /**
     * The kernel the workspace builds against: the kernel directory its Makefile or Kbuild names, else the
     * running kernel. A kernel the build file names is never replaced by the running one (a livepatch for the
     * wrong kernel is worse than none): when it is not usable, nothing is offered.
     */
    public static Detection detect(Path workspace, Path root) {
        Optional<String> running = runningRelease(root);
        String unresolvedNote = "";
        for (String name : BUILD_FILES) {
            Path file = workspace.resolve(name);
            Optional<String> text = readBuildFile(file);
            if (text.isEmpty()) {
                continue;
            }
            MakefileKernelDir.Result result = MakefileKernelDir.find(text.get(), workspace.toString(), running);
            if (result instanceof MakefileKernelDir.Found found) {
                Candidate candidate = kernelOfDirectory(found.directory(), workspace, root, running);
                String origin = name + " builds against " + found.directory() + lineOf(found.line());
                return candidate.usable() ? new Detection(Optional.of(candidate), origin, "")
                        : new Detection(Optional.empty(), origin, origin + ", but " + candidate.detail());
            }
            if (result instanceof MakefileKernelDir.Unresolved unresolved) {
                unresolvedNote = name + lineOf(unresolved.line()) + " names the kernel directory "
                        + unresolved.written() + ", which klp-lsp cannot expand (" + unresolved.why() + "); ";
                break;
            }
        }
        if (running.isEmpty()) {
            return new Detection(Optional.empty(), "", unresolvedNote + "the running kernel's release is unknown (no "
                    + root.resolve("proc/sys/kernel/osrelease") + ")");
        }
        Candidate candidate = assessRelease(running.get(), root, true);
        String origin = running.get() + " is the running kernel";
        return candidate.usable() ? new Detection(Optional.of(candidate), unresolvedNote + origin, "")
                : new Detection(Optional.empty(), origin, unresolvedNote + "the running kernel " + running.get()
                        + " cannot be indexed: " + candidate.detail());
    }

    /**
     * The installed kernels: every release with a module tree under {@code lib/modules}, a debug vmlinux under
     * {@code usr/lib/debug} or an image under {@code boot}; the running one first, then newest name first.
     */
    public static List<Candidate> installed(Path root) {
        TreeSet<String> releases = new TreeSet<>(NEWEST_FIRST);
        releases.addAll(names(root.resolve("lib/modules"), "", true));
        releases.addAll(names(root.resolve("usr/lib/debug/lib/modules"), "", true));
        releases.addAll(names(root.resolve("usr/lib/debug/boot"), "vmlinux-", false));
        releases.addAll(names(root.resolve("boot"), "vmlinuz-", false));
        Optional<String> running = runningRelease(root);
        List<Candidate> candidates = new ArrayList<>();
        running.filter(releases::remove).ifPresent(release -> candidates.add(assessRelease(release, root, true)));
        for (String release : releases) {
            if (candidates.size() >= MAX_INSTALLED) {
                break;
            }
            candidates.add(assessRelease(release, root, false));
        }
        return candidates;
    }

    /** What {@code uname -r} says: {@code <root>/proc/sys/kernel/osrelease}. */
    public static Optional<String> runningRelease(Path root) {
        Path file = root.resolve("proc/sys/kernel/osrelease");
        // A /proc file claims size 0: read a bounded prefix instead of trusting the size.
        try (InputStream in = Files.newInputStream(file)) {
            String release = new String(in.readNBytes(256), StandardCharsets.US_ASCII).strip();
            return RELEASE.matcher(release).matches() ? Optional.of(release) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** A release looked up under the root: usable with its module tree and a vmlinux symbol source. */
    static Candidate assessRelease(String release, Path root, boolean running) {
        // Under the real root the sources are the ones a "kernel" setting naming the release gives.
        KernelSources sources = root.equals(SYSTEM_ROOT) ? KernelSources.ofKernel(release)
                : KernelSources.ofKernel(release).withRoot(root);
        try {
            KernelSources.Resolved resolved = sources.resolve();
            Optional<Path> moduleTree = resolved.moduleDirs().stream().filter(KernelSources::isModulesDir)
                    .filter(Files::isReadable).findFirst();
            if (moduleTree.isEmpty()) {
                return new Candidate(release, sources, running, false, "no module tree at "
                        + root.resolve("lib/modules").resolve(release) + " (install linux-image-" + release + ")");
            }
            if (resolved.vmlinuxSources().isEmpty()) {
                return new Candidate(release, sources, running, false, missingVmlinux(resolved, release));
            }
            KernelSources.Source vmlinux = resolved.vmlinuxSources().get(0);
            return new Candidate(release, sources, running, true, "modules in " + moduleTree.get() + ", symbols from "
                    + vmlinux.path() + " (" + vmlinux.description() + ")");
        } catch (SymbolSourceException e) {
            return new Candidate(release, sources, running, false, e.getMessage());
        }
    }

    /** The kernel a build directory belongs to: a release when its path names one, else the build tree itself. */
    static Candidate kernelOfDirectory(String directory, Path workspace, Path root, Optional<String> running) {
        for (Pattern pattern : RELEASE_DIRECTORIES) {
            Matcher matcher = pattern.matcher(directory);
            if (matcher.matches() && RELEASE.matcher(matcher.group(1)).matches()) {
                String release = matcher.group(1);
                return assessRelease(release, root, running.equals(Optional.of(release)));
            }
        }
        Path tree;
        try {
            Path written = Paths.get(directory);
            tree = written.isAbsolute() ? root.resolve(written.toString().substring(1)) : workspace.resolve(written);
            tree = tree.normalize();
        } catch (InvalidPathException e) {
            return new Candidate(directory, KernelSources.ofKernel(directory), false, false, "it is no valid path");
        }
        KernelSources sources = KernelSources.ofKernel(tree.toString());
        try {
            KernelSources.Resolved resolved = sources.resolve();
            if (resolved.vmlinuxSources().isEmpty()) {
                return new Candidate(tree.toString(), sources, false, false, tree + " holds no vmlinux or System.map"
                        + " (build the kernel there first)");
            }
            KernelSources.Source vmlinux = resolved.vmlinuxSources().get(0);
            return new Candidate(tree.toString(), sources, false, true, "symbols from " + vmlinux.path() + " ("
                    + vmlinux.description() + ")");
        } catch (SymbolSourceException e) {
            return new Candidate(tree.toString(), sources, false, false, e.getMessage());
        }
    }

    private static String missingVmlinux(KernelSources.Resolved resolved, String release) {
        return resolved.warnings().stream().filter(warning -> warning.kind().equals("no-vmlinux-symbols"))
                .map(warning -> warning.message()).findFirst()
                .orElse("no vmlinux symbols found for " + release + " (install linux-image-" + release + "-dbg)");
    }

    /** A build file's text: a regular file within {@link InputFile#BUILD_FILE}'s limit, else nothing. */
    private static Optional<String> readBuildFile(Path file) {
        try {
            return Optional.of(new String(InputFile.readAllBytes(file, InputFile.BUILD_FILE, KlpException::new),
                    StandardCharsets.ISO_8859_1));
        } catch (KlpException e) {
            return Optional.empty(); // most workspaces lack most of the names; an unreadable one is no kernel either
        }
    }

    /** The release names in a directory: entries {@code <prefix><release>} (directories only when asked). */
    private static List<String> names(Path dir, String prefix, boolean directories) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (found.size() >= MAX_INSTALLED * 4) {
                    break;
                }
                if (!name.startsWith(prefix) || !RELEASE.matcher(name.substring(prefix.length())).matches()) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
                if (directories ? isDirectory : Files.isRegularFile(entry)) {
                    found.add(name.substring(prefix.length()));
                }
            }
        } catch (IOException | SecurityException e) {
            // not installed, or not ours to read: nothing to list
        }
        return found;
    }

    private static int compareVersions(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            char a = left.charAt(i);
            char b = right.charAt(j);
            if (Character.isDigit(a) && Character.isDigit(b)) {
                int endA = digitsEnd(left, i);
                int endB = digitsEnd(right, j);
                String digitsA = left.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String digitsB = right.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int compared = digitsA.length() != digitsB.length() ? Integer.compare(digitsA.length(),
                        digitsB.length()) : digitsA.compareTo(digitsB);
                if (compared != 0) {
                    return compared;
                }
                i = endA;
                j = endB;
            } else {
                if (a != b) {
                    return Character.compare(a, b);
                }
                i++;
                j++;
            }
        }
        int compared = Integer.compare(left.length() - i, right.length() - j);
        return compared != 0 ? compared : left.compareTo(right);
    }

    private static int digitsEnd(String text, int start) {
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static String lineOf(int line) {
        return line > 0 ? " (line " + line + ")" : "";
    }
}
