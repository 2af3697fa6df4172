// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one walk over a workspace, for the C sources it reads, the modules it checks and the directories it
 * watches: breadth first (build output sits near the root), never through a symbolic link, and skipping what
 * is never a livepatch's: hidden entries ({@code .git}, {@code .cache}), {@code node_modules} and editor backups
 * ({@code foo.ko~}).
 */
public final class WorkspaceFiles {
    /** Deeper than any livepatch tree nests; a whole kernel tree is cut off here and by the caps. */
    public static final int MAX_DEPTH = 8;
    private static final Set<String> SKIPPED = Set.of("node_modules");

    private WorkspaceFiles() {
    }

    /** Whether a file or directory below the root is left out of every walk. */
    public static boolean isSkipped(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return false;
        }
        String text = name.toString();
        return text.startsWith(".") || text.endsWith("~") || SKIPPED.contains(text);
    }

    /** Whether {@code path} lies below {@code root} in a part every walk visits. */
    public static boolean isWalked(Path root, Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
            return false;
        }
        Path relative = root.relativize(normalized);
        if (relative.getNameCount() > MAX_DEPTH + 1) {
            return false;
        }
        for (Path part : relative) {
            if (isSkipped(part)) {
                return false;
            }
        }
        return true;
    }

    /** {@code start} and the directories below it, breadth first, at most {@code max} of them. */
    public static List<Path> directories(Path start, int max) {
        List<Path> found = new ArrayList<>();
        walk(start, max, Integer.MAX_VALUE, path -> false, found, new ArrayList<>());
        return found;
    }

    /** Regular files below {@code root} that {@code wanted} accepts, breadth first, at most {@code max}. */
    public static List<Path> files(Path root, Predicate<Path> wanted, int max) {
        List<Path> files = new ArrayList<>();
        walk(root, Integer.MAX_VALUE, max, wanted, new ArrayList<>(), files);
        return files;
    }

    private static void walk(Path start, int maxDirectories, int maxFiles, Predicate<Path> wanted,
            List<Path> directories, List<Path> files) {
        Path root = start.toAbsolutePath().normalize();
        Deque<Path> queue = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        queue.add(root);
        depths.add(0);
        while (!queue.isEmpty() && directories.size() < maxDirectories && files.size() < maxFiles) {
            Path dir = queue.poll();
            int depth = depths.poll();
            directories.add(dir);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (IOException | DirectoryIteratorException e) {
                continue; // vanished or unreadable: nothing below it to see
            }
            children.sort(null);
            for (Path child : children) {
                if (isSkipped(child)) {
                    continue;
                }
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    if (depth < MAX_DEPTH) {
                        queue.add(child);
                        depths.add(depth + 1);
                    }
                } else if (files.size() < maxFiles && Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)
                        && wanted.test(child)) {
                    files.add(child);
                }
            }
        }
    }
}
