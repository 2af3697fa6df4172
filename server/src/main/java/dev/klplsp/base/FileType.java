// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What is at a path, as {@code stat(2)} tells it: for the readers' and the writer's rules about special files. */
enum FileType {
    MISSING("nothing"), REGULAR("a regular file"), DIRECTORY("a directory"), SYMBOLIC_LINK("a symbolic link"),
    FIFO("a fifo (named pipe)"), CHARACTER_DEVICE("a character device"), BLOCK_DEVICE("a block device"),
    SOCKET("a socket"), OTHER("a special file");

    final String description;

    FileType(String description) {
        this.description = description;
    }

    /** The type of {@code path}, following a final symbolic link unless NOFOLLOW_LINKS is given. */
    static FileType of(Path path, LinkOption... options) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return MISSING;
        }
        return of(path, attributes, options);
    }

    static FileType of(Path path, BasicFileAttributes attributes, LinkOption... options) {
        if (attributes.isRegularFile()) {
            return REGULAR;
        }
        if (attributes.isDirectory()) {
            return DIRECTORY;
        }
        if (attributes.isSymbolicLink()) {
            return SYMBOLIC_LINK;
        }
        try {
            return switch ((Integer) Files.getAttribute(path, "unix:mode", options) & 0170000) {
                case 0010000 -> FIFO;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> OTHER;
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OTHER;
        }
    }
}
