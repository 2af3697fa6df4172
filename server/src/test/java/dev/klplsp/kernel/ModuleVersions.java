// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.Section;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test harness's stand-in for building a module against each build's own headers: Debian's builds of 6.1 are
 * not one ABI (module_layout's CRC is 0x9060323f in 6.1.0-56, 0x160c03af in -47, 0xbce1a965 in -52, and
 * seq_printf's and klp_enable_patch's differ too), so a module built against linux-headers-6.1.0-56 is refused by
 * -47 and -52 with "disagrees about version of symbol module_layout", and apt serves no headers for -52. This reads
 * the CRCs of a build's exports from its own image ({@code __kcrctab} and {@code __kcrctab_gpl}, parallel to
 * {@code __ksymtab} and {@code __ksymtab_gpl}) and writes them into a module's {@code __versions}: what modpost
 * writes from that build's Module.symvers. It holds only where the interfaces the module uses have the same layout
 * in both builds, which the boot that runs the module shows.
 */
public final class ModuleVersions {
    private ModuleVersions() {
    }

    /** The CRC of each exported name, read from a vmlinuz and its index (for the tables' addresses). */
    public static Map<String, Long> crcs(Path vmlinuz, byte[] image, KernelIndex index, Iterable<String> names) {
        KernelImage.Payload payload = KernelImage.payload(vmlinuz, image);
        ByteBuffer elf = ByteBuffer.wrap(payload.data(), 0, payload.length()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Long> crcs = new LinkedHashMap<>();
        for (String name : names) {
            long entry = address(index, "__ksymtab_" + name);
            long gplStart = address(index, "__start___ksymtab_gpl");
            boolean gpl = entry >= gplStart && entry < address(index, "__stop___ksymtab_gpl");
            long table = gpl ? gplStart : address(index, "__start___ksymtab");
            // struct kernel_symbol is three 32-bit place-relative offsets (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS).
            long slot = (entry - table) / 12;
            long crcAddress = address(index, gpl ? "__start___kcrctab_gpl" : "__start___kcrctab") + 4 * slot;
            crcs.put(name, Integer.toUnsignedLong(elf.getInt(fileOffset(elf, crcAddress))));
        }
        return crcs;
    }

    /** Rewrites the CRC of every {@code __versions} entry {@code crcs} names; returns the module's new bytes. */
    public static byte[] restamp(Path module, Map<String, Long> crcs) {
        ElfObject elf = ElfObject.read(module);
        Section versions = elf.findSection("__versions").orElseThrow(() -> new AssertionError("no __versions in "
                + module));
        // struct modversion_info: unsigned long crc; char name[64 - sizeof(unsigned long)].
        ByteBuffer data = ByteBuffer.wrap(versions.data().clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 64 <= data.limit(); at += 64) {
            int end = at + 8;
            while (end < at + 64 && data.get(end) != 0) {
                end++;
            }
            String name = new String(data.array(), at + 8, end - at - 8, StandardCharsets.US_ASCII);
            Long crc = crcs.get(name);
            if (crc != null) {
                data.putLong(at, crc);
            }
        }
        versions.setData(data.array());
        return elf.toBytes();
    }

    /** The names a module's {@code __versions} lists. */
    public static java.util.List<String> names(Path module) {
        Section versions = ElfObject.read(module).findSection("__versions").orElseThrow();
        java.util.List<String> names = new java.util.ArrayList<>();
        byte[] data = versions.data();
        for (int at = 0; at + 64 <= data.length; at += 64) {
            int end = at + 8;
            while (end < at + 64 && data[end] != 0) {
                end++;
            }
            names.add(new String(data, at + 8, end - at - 8, StandardCharsets.US_ASCII));
        }
        return names;
    }

    private static long address(KernelIndex index, String name) {
        return index.lookup(KernelSymbol.VMLINUX, name).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in the image's kallsyms")).address();
    }

    /** Where a virtual address of the payload's ELF (the stripped vmlinux) is in the file: its PT_LOAD segments. */
    private static int fileOffset(ByteBuffer elf, long address) {
        long phoff = elf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
        int phnum = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            if (elf.getInt(at) != 1) {
                continue; // not PT_LOAD
            }
            long offset = elf.getLong(at + 8);
            long vaddr = elf.getLong(at + 16);
            long filesz = elf.getLong(at + 32);
            if (address >= vaddr && address + 4 <= vaddr + filesz) {
                return (int) (offset + address - vaddr);
            }
        }
        throw new AssertionError("address 0x" + Long.toHexString(address) + " is in no PT_LOAD segment");
    }
}
