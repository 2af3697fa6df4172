// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KlpExceptionTest {
    @TempDir
    Path tmp;

    @Test
    void realIoFailuresAreWordedAsCoreutilsWordsThem() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("no such file", KlpException.reason(assertThrows(NoSuchFileException.class,
                () -> Files.readAllBytes(tmp.resolve("absent")))));
        assertEquals("is a directory", KlpException.reason(assertThrows(IOException.class,
                () -> Files.readAllBytes(tmp))));
        assertEquals("not a directory", KlpException.reason(assertThrows(FileSystemException.class,
                () -> Files.readAllBytes(file.resolve("below")))));
        assertEquals("file exists", KlpException.reason(assertThrows(IOException.class,
                () -> Files.createFile(file))));
    }

    @Test
    void failuresRootCannotProvokeAreWordedToo() {
        // Root reads any file, so a permission failure is made by hand here; its wording is what matters.
        assertEquals("permission denied", KlpException.reason(new AccessDeniedException("/x")));
        assertEquals("not a directory", KlpException.reason(new NotDirectoryException("/x")));
        assertEquals("no space left on device",
                KlpException.reason(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("input/output error", KlpException.reason(new IOException()));
    }
}
