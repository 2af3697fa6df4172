// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An input error: a file the user gave us that we cannot use (corrupt or foreign ELF, malformed
 * symbol file, missing path). Never used for findings in a livepatch, never for our own bugs.
 * The message always names the file and, where known, the offset or line.
 */
public class KlpException extends RuntimeException {
    private final Path path;

    /** The failures Java names by class, in the words of their errno's strerror (ENOENT, EACCES, ...). */
    private static final List<Map.Entry<Class<? extends IOException>, String>> WORDS = List.of(
            Map.entry(NoSuchFileException.class, "no such file"),
            Map.entry(AccessDeniedException.class, "permission denied"),
            Map.entry(NotDirectoryException.class, "not a directory"),
            Map.entry(FileAlreadyExistsException.class, "file exists"),
            Map.entry(DirectoryNotEmptyException.class, "directory not empty"),
            Map.entry(FileSystemLoopException.class, "too many levels of symbolic links"));

    public KlpException(Path path, String message) {
        this(path, message, null);
    }

    public KlpException(Path path, String message, Throwable cause) {
        super(path == null ? message : path + ": " + message, cause);
        this.path = path;
    }

    /** The file the problem is in, if the problem is tied to one. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /**
     * What went wrong in an I/O operation, in the words coreutils uses ("no such file", "permission denied",
     * "is a directory"), never a Java class name: the one place klp-lsp words an {@link IOException}, so every
     * "cannot read: ..." reads the same. The path is not repeated; the caller's message names it.
     */
    public static String reason(IOException e) {
        for (Map.Entry<Class<? extends IOException>, String> known : WORDS) {
            if (known.getKey().isInstance(e)) {
                return known.getValue();
            }
        }
        // The rest carry the system's own text (strerror: "Is a directory", "No space left on device"), in a
        // FileSystemException after the path, in a plain IOException as the whole message.
        String text = e instanceof FileSystemException fileSystem ? fileSystem.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return "input/output error";
        }
        text = text.strip();
        boolean sentenceCase = text.length() > 1 && Character.isUpperCase(text.charAt(0))
                && Character.isLowerCase(text.charAt(1));
        return sentenceCase ? Character.toLowerCase(text.charAt(0)) + text.substring(1) : text;
    }
}
