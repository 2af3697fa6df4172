// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A small Debian package written in memory (deb(5): ar with debian-binary, control.tar, data.tar), with a ustar
 * entry, a GNU long name and a pax path record: the seed the package fuzz target mutates. The package tests
 * use real dpkg-deb output instead (ImagePackageTest).
 */
final class DebFixture {
    private DebFixture() {
    }

    static byte[] deb(boolean gzip) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "./boot/", '5', new byte[0]);
        entry(tar, "./boot/vmlinuz-6.1.0-fuzz", '0', "MZ not really a kernel".getBytes(StandardCharsets.US_ASCII));
        String longName = "./lib/modules/6.1.0-fuzz/kernel/" + "d".repeat(120) + "/m.ko";
        entry(tar, "././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.US_ASCII));
        entry(tar, longName.substring(0, 99), '0', "\177ELF".getBytes(StandardCharsets.US_ASCII));
        String pax = "./lib/modules/6.1.0-fuzz/modules.builtin";
        String record = " path=" + pax + "\n";
        record = (record.length() + 3) + record;
        entry(tar, "PaxHeader", 'x', record.getBytes(StandardCharsets.US_ASCII));
        entry(tar, "modules.builtin", '0', "kernel/fs/ext4/ext4.ko\n".getBytes(StandardCharsets.US_ASCII));
        tar.writeBytes(new byte[1024]);
        byte[] data = tar.toByteArray();
        if (gzip) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
                out.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            data = packed.toByteArray();
        }
        ByteArrayOutputStream ar = new ByteArrayOutputStream();
        ar.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "control.tar", new byte[1024]);
        member(ar, gzip ? "data.tar.gz" : "data.tar", data);
        return ar.toByteArray();
    }

    private static void member(ByteArrayOutputStream ar, String name, byte[] content) {
        String header = String.format("%-16s%-12s%-6s%-6s%-8s%-10s`\n", name, "0", "0", "0", "100644", content.length);
        ar.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        ar.writeBytes(content);
        if (content.length % 2 == 1) {
            ar.write('\n');
        }
    }

    private static void entry(ByteArrayOutputStream tar, String name, char type, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int at, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }
}
