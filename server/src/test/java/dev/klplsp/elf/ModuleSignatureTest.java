// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appended module signatures, laid out as scripts/sign-file writes them: signature bytes, then
 * {@code struct module_signature} (12 bytes, big-endian sig_len last), then the magic. The real Debian
 * modules are covered by {@link RealModulesTest}; this works without a kernel tree.
 */
class ModuleSignatureTest {
    @TempDir
    Path temp;

    static byte[] signed(byte[] module, int signatureLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(module);
        out.writeBytes(new byte[signatureLength]); // stands in for the PKCS#7 blob
        // struct module_signature { algo, hash, id_type = PKEY_ID_PKCS7 (2), signer_len, key_id_len, __pad[3], sig_len }
        out.writeBytes(new byte[] {0, 0, 2, 0, 0, 0, 0, 0});
        out.writeBytes(ByteBuffer.allocate(4).putInt(signatureLength).array());
        out.writeBytes(ModuleSignature.MAGIC.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void signatureIsDetectedAndDroppedOnWrite() throws Exception {
        byte[] unsigned = Files.readAllBytes(Fixtures.module("hello"));
        Path signedFile = Files.write(temp.resolve("signed.ko"), signed(unsigned, 0x2a5));
        ElfObject object = ElfObject.read(signedFile);
        assertEquals(new ModuleSignature(unsigned.length, 0x2a5 + 12 + 28), object.signature().orElseThrow());
        WriteResult result = object.write(temp.resolve("out.ko"));
        assertTrue(result.signatureDropped());
        assertEquals(object.signature(), result.droppedSignature());
        assertArrayEquals(unsigned, Files.readAllBytes(temp.resolve("out.ko")));
        ElfTesting.assertSameReadelf("-aW", signedFile, temp.resolve("out.ko"));
    }

    @Test
    void signatureLengthReachingBeforeTheFileIsAFormatError() throws Exception {
        byte[] bytes = signed(Files.readAllBytes(Fixtures.module("hello")), 16);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 28 - 4, 0x7fffffff);
        Path file = Files.write(temp.resolve("bad-signature.ko"), bytes);
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfObject.read(file));
        assertTrue(error.getMessage().contains("module signature trailer found, but its sig_len 2147483647 reaches before"
                + " the start of the file"), error.getMessage());
    }
}
